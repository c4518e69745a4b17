/**
 * Rate limits (issue 5, "Hardening"; README, "Operations"): failed authentications per client
 * address, requests per company, public lookups per client address; in memory and through a Redis
 * that several instances share.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { type AppConfig, configFromEnv, defaultConfig } from '../../src/http/config.js';
import { redisCounters } from '../../src/http/rate-counters.js';
import { makeAccount, makeCompany, type TestCompany } from '../factories.js';
import { buildTestApp, NOON } from '../helper.js';

const ATTACKER = '203.0.113.7';
const OTHER = '198.51.100.20';
const MINUTE = 60_000;

const tooMany = (seconds: number) => ({
  success: false,
  error: true,
  message: `Too many requests: try again in ${seconds} seconds.`,
});

/** An app with a company and an account of it. */
async function setup(config: Partial<AppConfig> = {}) {
  const test = await buildTestApp(config);
  const company = await makeCompany(test.store);
  const account = await makeAccount(test.store, { companyId: company.companyId, email: 'anna@example.com' });
  return { ...test, company, account };
}

function isAccount(app: FastifyInstance, company: TestCompany, key: string, remoteAddress = ATTACKER) {
  return app.inject({
    method: 'GET',
    url: '/api/is-account',
    query: { companyId: company.companyId, email: 'anna@example.com', key },
    remoteAddress,
  });
}

function publicLookup(app: FastifyInstance, talkToMeId: string, remoteAddress = ATTACKER) {
  return app.inject({ method: 'GET', url: '/api/person-info', query: { talkToMeId }, remoteAddress });
}

function expectLimited(response: LightMyRequestResponse, limit: number, seconds: number): void {
  expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 429, body: tooMany(seconds) });
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(response.headers['retry-after']).toBe(String(seconds));
  expect(response.headers['ratelimit-limit']).toBe(String(limit));
  expect(response.headers['ratelimit-remaining']).toBe('0');
  expect(response.headers['ratelimit-reset']).toBe(String(seconds));
}

describe('failed authentications per client address (brute force)', () => {
  it('answers 429 to every authenticated request of an address after 20 failures, until the window ends', async () => {
    const { app, company, account, setNow } = await setup();
    for (let i = 0; i < 20; i++) {
      const response = await isAccount(app, company, `wrong-${i}`);
      expect(response.statusCode).toBe(403);
      expect(response.headers['retry-after']).toBeUndefined();
    }
    // Even the right token: a brute-force client cannot tell when it guessed right.
    expectLimited(await isAccount(app, company, company.token()), 20, 600);
    const write = await app.inject({
      method: 'POST',
      url: '/api/do-not-disturb',
      payload: { companyId: company.companyId, accountEmail: 'anna@example.com', key: company.token() },
      remoteAddress: ATTACKER,
    });
    expect(write.statusCode).toBe(429);
    // Other addresses and the public lookup (no authentication) are not concerned.
    expect((await isAccount(app, company, company.token(), OTHER)).statusCode).toBe(200);
    expect((await publicLookup(app, account.talkToMeId)).statusCode).toBe(200);

    setNow(new Date(NOON.getTime() + 9 * MINUTE));
    expectLimited(await isAccount(app, company, company.token()), 20, 60);
    setNow(new Date(NOON.getTime() + 10 * MINUTE));
    expect((await isAccount(app, company, company.token())).statusCode).toBe(200);
  });

  it('counts unknown companies and malformed tokens, not missing ones', async () => {
    const { app, company } = await setup({ authFailureLimit: { max: 3, windowMs: MINUTE } });
    const unknown = { ...company, companyId: 'X'.repeat(26) };
    for (let i = 0; i < 5; i++) expect((await isAccount(app, company, '')).statusCode).toBe(401);
    for (let i = 0; i < 3; i++) expect((await isAccount(app, unknown, company.token())).statusCode).toBe(403);
    expectLimited(await isAccount(app, company, company.token()), 3, 60);
  });

  it('counts failures behind a trusted proxy by the client address it forwards', async () => {
    const { app, company } = await setup({ authFailureLimit: { max: 2, windowMs: MINUTE }, trustProxy: true });
    const via = (client: string, key: string) =>
      app.inject({
        method: 'GET',
        url: '/api/is-account',
        query: { companyId: company.companyId, email: 'anna@example.com', key },
        headers: { 'x-forwarded-for': client },
        remoteAddress: '10.0.0.1',
      });
    expect((await via(ATTACKER, 'wrong')).statusCode).toBe(403);
    expect((await via(ATTACKER, 'wrong')).statusCode).toBe(403);
    expect((await via(ATTACKER, company.token())).statusCode).toBe(429);
    expect((await via(OTHER, company.token())).statusCode).toBe(200);
  });
});

describe('requests per company (quota)', () => {
  it('defaults to 6000 a minute, counted after authentication, with RateLimit headers', async () => {
    const { app, company } = await setup();
    const response = await isAccount(app, company, company.token());
    expect(response.statusCode).toBe(200);
    expect(response.headers['ratelimit-limit']).toBe('6000');
    expect(response.headers['ratelimit-remaining']).toBe('5999');
    expect(response.headers['ratelimit-reset']).toBe('60');
  });

  it("answers 429 past the quota, for that company only; failures do not use up a company's quota", async () => {
    const { app, company, store } = await setup({ companyRequestLimit: { max: 3, windowMs: MINUTE } });
    const other = await makeCompany(store);
    // Someone else's wrong tokens with this company's id count against their address, not the quota.
    for (let i = 0; i < 5; i++) expect((await isAccount(app, company, 'wrong', OTHER)).statusCode).toBe(403);
    for (const remaining of [2, 1, 0]) {
      const response = await isAccount(app, company, company.token());
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-remaining']).toBe(String(remaining));
    }
    expectLimited(await isAccount(app, company, company.token()), 3, 60);
    // The quota is the company's, from whatever address.
    expect((await isAccount(app, company, company.token(), '192.0.2.1')).statusCode).toBe(429);
    expect((await isAccount(app, other, other.token())).statusCode).toBe(200);
  });
});

describe('public person-info per client address', () => {
  it('answers 429 past the limit; lookups with credentials and other addresses are not concerned', async () => {
    const { app, account, company } = await setup({ publicLookupLimit: { max: 3, windowMs: MINUTE } });
    for (const remaining of [2, 1]) {
      const response = await publicLookup(app, account.talkToMeId);
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBe('3');
      expect(response.headers['ratelimit-remaining']).toBe(String(remaining));
    }
    // Unknown ids count too (enumeration), and so do POSTed lookups.
    const post = await app.inject({
      method: 'POST',
      url: '/api/person-info',
      payload: { talkToMeId: 'Y'.repeat(26) },
      remoteAddress: ATTACKER,
    });
    expect(post.statusCode).toBe(404);
    const limited = await publicLookup(app, account.talkToMeId);
    expectLimited(limited, 3, 60);
    expect(limited.headers['access-control-allow-origin']).toBe('*');

    const withKey = await app.inject({
      method: 'GET',
      url: '/api/person-info',
      query: { talkToMeId: account.talkToMeId, companyId: company.companyId },
      headers: { authorization: `Bearer ${company.token()}` },
      remoteAddress: ATTACKER,
    });
    expect(withKey.statusCode).toBe(200);
    expect(withKey.headers['ratelimit-limit']).toBe('6000');
    expect((await publicLookup(app, account.talkToMeId, OTHER)).statusCode).toBe(200);
  });

  it('defaults to 300 a minute', async () => {
    const { app, account } = await setup();
    expect((await publicLookup(app, account.talkToMeId)).headers['ratelimit-limit']).toBe('300');
  });
});

describe('configuration', () => {
  it('switches each limit off with 0: no 429, no RateLimit headers', async () => {
    const off = { max: 0, windowMs: MINUTE };
    const { app, company, account } = await setup({
      authFailureLimit: off,
      companyRequestLimit: off,
      publicLookupLimit: off,
    });
    for (let i = 0; i < 25; i++) expect((await isAccount(app, company, 'wrong')).statusCode).toBe(403);
    const response = await isAccount(app, company, company.token());
    expect(response.statusCode).toBe(200);
    expect(response.headers['ratelimit-limit']).toBeUndefined();
    expect((await publicLookup(app, account.talkToMeId)).headers['ratelimit-limit']).toBeUndefined();
  });

  it('reads the limits from the environment: N, N/window, 0', () => {
    expect(defaultConfig.authFailureLimit).toEqual({ max: 20, windowMs: 10 * MINUTE });
    expect(defaultConfig.companyRequestLimit).toEqual({ max: 6000, windowMs: MINUTE });
    expect(defaultConfig.publicLookupLimit).toEqual({ max: 300, windowMs: MINUTE });
    expect(
      configFromEnv({
        SWITCHBOARD_RATE_LIMIT_AUTH_FAILURES: '10/1h',
        SWITCHBOARD_RATE_LIMIT_COMPANY: '0',
        SWITCHBOARD_RATE_LIMIT_PUBLIC: '1000',
        SWITCHBOARD_REDIS_URL: 'redis://127.0.0.1:6379',
        SWITCHBOARD_REDIS_PREFIX: 'eu1:',
        SWITCHBOARD_TRUST_PROXY: '10.0.0.0/8,loopback',
      }),
    ).toMatchObject({
      authFailureLimit: { max: 10, windowMs: 3_600_000 },
      companyRequestLimit: { max: 0, windowMs: MINUTE },
      publicLookupLimit: { max: 1000, windowMs: MINUTE },
      redisUrl: 'redis://127.0.0.1:6379',
      redisKeyPrefix: 'eu1:',
      trustProxy: '10.0.0.0/8,loopback',
    });
    for (const value of ['-1', 'ten', '5/0s', '5/1d', '5/']) {
      expect(() => configFromEnv({ SWITCHBOARD_RATE_LIMIT_PUBLIC: value })).toThrow(/SWITCHBOARD_RATE_LIMIT_PUBLIC/);
    }
    expect(() => configFromEnv({ SWITCHBOARD_REDIS_URL: 'http://x' })).toThrow(/SWITCHBOARD_REDIS_URL/);
  });
});

// ---------------------------------------------------------------------------------------------
// Redis: the limits shared by several instances

const REDIS_URL = process.env.SWITCHBOARD_TEST_REDIS ?? 'redis://127.0.0.1:6379';

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

const redisUp = await redisAnswers(REDIS_URL);
if (!redisUp) console.log(`Redis does not answer at ${REDIS_URL}: the Redis-backed rate limit tests are skipped.`);

/** A key prefix of this run and test, so that parallel runs (and the two dialects) never share a count. */
const prefixes: string[] = [];
function freshPrefix(): string {
  const prefix = `switchboard-test:${randomUUID()}:`;
  prefixes.push(prefix);
  return prefix;
}

afterAll(async () => {
  if (!redisUp || prefixes.length === 0) return;
  const redis = new Redis(REDIS_URL);
  try {
    for (const prefix of prefixes) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
});

/** Second instances, closed before the helper closes the store that they share with the first. */
const instances: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of instances.splice(0)) await app.close();
});

describe.skipIf(!redisUp)('through Redis (several instances)', () => {
  /** Two apps on one database, sharing one Redis and key prefix: two instances of one deployment. */
  async function twoInstances(limits: Partial<AppConfig>) {
    const config = { redisUrl: REDIS_URL, redisKeyPrefix: freshPrefix(), ...limits };
    const one = await setup(config);
    const two = await buildApp({ store: one.store, config: { logLevel: false, ...config }, clock: () => NOON });
    instances.push(two);
    return { ...one, one: one.app, two };
  }

  it('shares the failure count: failures on two instances add up, and both refuse', async () => {
    const { one, two, company } = await twoInstances({ authFailureLimit: { max: 4, windowMs: MINUTE } });
    for (const app of [one, two, one, two]) expect((await isAccount(app, company, 'wrong')).statusCode).toBe(403);
    for (const app of [one, two]) {
      const response = await isAccount(app, company, company.token());
      expect(response.statusCode).toBe(429);
      const seconds = Number(response.headers['retry-after']);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(response.json()).toEqual(tooMany(seconds));
      expect(response.headers['ratelimit-limit']).toBe('4');
    }
    expect((await isAccount(two, company, company.token(), OTHER)).statusCode).toBe(200);
  });

  it("shares a company's quota across instances", async () => {
    const { one, two, company } = await twoInstances({ companyRequestLimit: { max: 4, windowMs: MINUTE } });
    const statuses: number[] = [];
    for (const app of [one, two, one, two, two, one]) {
      statuses.push((await isAccount(app, company, company.token())).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('ends the window with the Redis key: the address is served again', async () => {
    const shared = { redisUrl: REDIS_URL, redisKeyPrefix: freshPrefix(), authFailureLimit: { max: 1, windowMs: 700 } };
    const { app, company } = await setup(shared);
    expect((await isAccount(app, company, 'wrong')).statusCode).toBe(403);
    expect((await isAccount(app, company, company.token())).statusCode).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await isAccount(app, company, company.token())).statusCode).toBe(200);
  });

  it('fails open when Redis cannot be reached: requests are served, and a warning is logged once', async () => {
    const unreachable = 'redis://127.0.0.1:1';
    const { app, company, account } = await setup({
      redisUrl: unreachable,
      redisKeyPrefix: freshPrefix(),
      authFailureLimit: { max: 1, windowMs: MINUTE },
      companyRequestLimit: { max: 1, windowMs: MINUTE },
      publicLookupLimit: { max: 1, windowMs: MINUTE },
    });
    for (let i = 0; i < 3; i++) expect((await isAccount(app, company, 'wrong')).statusCode).toBe(403);
    for (let i = 0; i < 3; i++) {
      const response = await isAccount(app, company, company.token());
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
      expect((await publicLookup(app, account.talkToMeId)).statusCode).toBe(200);
    }

    // A Redis that is up but fails the command (here: a count that is not a number) fails open as well.
    const prefix = freshPrefix();
    const broken = await setup({
      redisUrl: REDIS_URL,
      redisKeyPrefix: prefix,
      companyRequestLimit: { max: 1, windowMs: MINUTE },
    });
    const redis = new Redis(REDIS_URL);
    try {
      await redis.set(`${prefix}rate:company:${broken.company.companyId}`, 'not a number');
    } finally {
      redis.disconnect();
    }
    for (let i = 0; i < 2; i++) {
      const response = await isAccount(broken.app, broken.company, broken.company.token());
      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
    }

    const log = { warn: vi.fn(), info: vi.fn() };
    const store = await redisCounters(unreachable, freshPrefix(), log as never);
    try {
      const counter = store.counter('test', MINUTE);
      expect(await counter.hit('x')).toBeUndefined();
      expect(await counter.peek('x')).toBeUndefined();
      expect(log.warn).toHaveBeenCalledTimes(1);
      expect(String(log.warn.mock.calls[0]?.[1])).toMatch(/not enforced/);
    } finally {
      await store.close();
    }
  });
});
