import type { FastifyRequest, onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { sendsCredentials } from '../credentials.js';
import { addRouteHook, routeTakes } from '../route-hooks.js';
import { DOCS_PATH } from './openapi.js';

/** The one endpoint that a web page of any origin may read: person-info by talk-to-me id, without credentials. */
const PUBLIC_PATH = '/api/person-info';
const PUBLIC_METHODS = ['GET', 'HEAD'];

/** Every answer: JSON that no browser sniffs, frames, caches or runs as a page, and no Referer onwards. */
const STRICT_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
};

/** The docs page (Swagger UI) runs scripts and styles, and its assets may be cached: no CSP, no no-store. */
const DOCS_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

/** The answer to a CORS preflight for the public lookup: GET from anywhere, no credentials, no extra headers. */
const PREFLIGHT_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, HEAD',
  'access-control-max-age': '86400',
};

/** A CORS preflight (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) for a public `GET`. */
function isPublicPreflight(request: FastifyRequest): boolean {
  if (request.method !== 'OPTIONS' || !request.headers.origin) return false;
  if (!PUBLIC_METHODS.includes(String(request.headers['access-control-request-method']))) return false;
  return request.url === PUBLIC_PATH || request.url.startsWith(`${PUBLIC_PATH}?`);
}

/**
 * Browser rules. Public person-info (`GET` by talkToMeId, no key) is readable from any origin
 * (`Access-Control-Allow-Origin: *`), and a preflight for it (`OPTIONS` with `Origin` and
 * `Access-Control-Request-Method: GET`) is answered 204; every other `OPTIONS` stays 405. No
 * header is allowed in a preflight, so a page can never send the `Authorization` header, and an
 * answer to a request with credentials carries no CORS allowance: a page cannot read it. Every
 * answer gets the security headers above (Fastify sends no `X-Powered-By`). Registered first among
 * the hooks that answer, so that even a shed 503 or a 413 carries them.
 */
export const browserRulesPlugin = fp(
  async (app) => {
    const everyRequest: onRequestHookHandler = (request, reply, done) => {
      reply.headers(request.url.startsWith(DOCS_PATH) ? DOCS_HEADERS : STRICT_HEADERS);
      // Answered here: OPTIONS has no route, and every other OPTIONS goes on to the not-found handler's 405.
      if (request.method === 'OPTIONS' && isPublicPreflight(request)) {
        reply.code(204).headers(PREFLIGHT_HEADERS).send();
        return;
      }
      done();
    };
    app.addHook('onRequest', everyRequest);

    // On the route's GET, HEAD and POST alike (one route): only a GET or HEAD without credentials is public.
    const allowAnyOrigin: onRequestHookHandler = (request, reply, done) => {
      if (PUBLIC_METHODS.includes(request.method) && !sendsCredentials(request)) {
        reply.header('access-control-allow-origin', '*');
      }
      done();
    };
    app.addHook('onRoute', (route) => {
      if (route.url === PUBLIC_PATH && routeTakes(route, PUBLIC_METHODS))
        addRouteHook(route, 'onRequest', allowAnyOrigin);
    });
  },
  { name: 'switchboard-browser-rules', dependencies: ['switchboard-context'], fastify: '5.x' },
);
