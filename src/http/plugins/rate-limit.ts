import type { FastifyRequest, onSendHookHandler, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { fail } from '../../domain/errors.js';
import type { RateLimit } from '../config.js';
import { sendsCredentials } from '../credentials.js';
import { type CounterStore, memoryCounters, redisCounters, type WindowCount } from '../rate-counters.js';
import { addRouteHook, routeTakes } from '../route-hooks.js';
import { API_PATHS } from './errors.js';

/** The limit that a request was counted against, for its `RateLimit-*` headers. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request was counted against a limit; `null` otherwise. */
    rateLimitState: RateLimitState | null;
  }
}

const PUBLIC_LOOKUP_PATH = '/api/person-info';

/** Whole seconds until a window ends, at least 1: what `Retry-After` and the message say. */
const secondsUntil = (seen: WindowCount) => Math.max(1, Math.ceil(seen.resetMs / 1000));

/**
 * Rate limits of the public API, each keyed by what it protects, each off when its maximum is 0:
 *
 * - failed authentications per client address (brute force): once an address has failed
 *   `authFailureLimit.max` times in a window, every authenticated request from it is 429 until the
 *   window ends, whether its token is right or not;
 * - requests per company (quota), counted only after a successful authentication, so that nobody
 *   can use up another company's quota;
 * - public person-info lookups per client address (scraping of talk-to-me ids).
 *
 * A counted answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` (IETF
 * draft), a 429 also `Retry-After`. Counts live in Redis when `redisUrl` is set (shared by the
 * instances; unreachable Redis: fail open), else in the process.
 */
export const rateLimitPlugin = fp(
  async (app) => {
    const { authFailureLimit, companyRequestLimit, publicLookupLimit } = app.config;
    if (authFailureLimit.max <= 0 && companyRequestLimit.max <= 0 && publicLookupLimit.max <= 0) return;

    const store: CounterStore = app.config.redisUrl
      ? await redisCounters(app.config.redisUrl, app.config.redisKeyPrefix, app.log)
      : memoryCounters(() => app.clock().getTime());
    app.addHook('onClose', () => store.close());
    const counterOf = (name: string, limit: RateLimit) =>
      limit.max > 0 ? store.counter(name, limit.windowMs) : undefined;
    const failures = counterOf('auth-failures', authFailureLimit);
    const companies = counterOf('company', companyRequestLimit);
    const lookups = counterOf('public', publicLookupLimit);
    const limited = app.metrics.counter(
      'switchboard_rate_limited_total',
      'Requests answered 429, by limit: auth_failures (per address), company (quota), public (per address).',
      'limit',
    );

    /** Records the count for the headers; past the limit, the request is refused with 429. */
    const count = (request: FastifyRequest, name: string, limit: RateLimit, seen: WindowCount, blocked: boolean) => {
      const resetSeconds = secondsUntil(seen);
      request.rateLimitState = { limit: limit.max, remaining: Math.max(0, limit.max - seen.count), resetSeconds };
      if (!blocked) return;
      limited.inc(name);
      fail('RATE_LIMITED', String(resetSeconds));
    };

    app.decorateRequest('rateLimitState', null);
    app.addAuthenticationGuard({
      async before(request) {
        const seen = await failures?.peek(request.ip);
        if (seen && seen.count >= authFailureLimit.max) count(request, 'auth_failures', authFailureLimit, seen, true);
      },
      async failed(request) {
        await failures?.hit(request.ip);
      },
      async succeeded(request, company) {
        const seen = await companies?.hit(company.id);
        if (seen) count(request, 'company', companyRequestLimit, seen, seen.count > companyRequestLimit.max);
      },
    });

    const publicLookup: preHandlerHookHandler = async (request) => {
      if (sendsCredentials(request)) return;
      const seen = await lookups?.hit(request.ip);
      if (seen) count(request, 'public', publicLookupLimit, seen, seen.count > publicLookupLimit.max);
    };
    const headers: onSendHookHandler = (request, reply, payload, done) => {
      const state = request.rateLimitState;
      if (state) {
        reply.header('ratelimit-limit', state.limit);
        reply.header('ratelimit-remaining', state.remaining);
        reply.header('ratelimit-reset', state.resetSeconds);
        if (reply.statusCode === 429) reply.header('retry-after', state.resetSeconds);
      }
      done(null, payload);
    };
    app.addHook('onRoute', (route) => {
      if (!API_PATHS.has(route.url)) return;
      addRouteHook(route, 'onSend', headers);
      if (lookups && route.url === PUBLIC_LOOKUP_PATH && routeTakes(route, ['GET', 'HEAD', 'POST'])) {
        addRouteHook(route, 'preHandler', publicLookup);
      }
    });
  },
  {
    name: 'switchboard-rate-limit',
    dependencies: ['switchboard-context', 'switchboard-auth', 'switchboard-metrics'],
    fastify: '5.x',
  },
);
