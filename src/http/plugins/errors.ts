import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ErrorCode, fail, SwitchboardError } from '../../domain/errors.js';
import { describeValidation } from '../validation.js';

/** The raw query string may be at most 8 KiB (CONTRACT.md 1). */
const MAX_QUERY_BYTES = 8 * 1024;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` on routes that read no parameters (the OpenAPI document and docs): no 8 KiB query limit. */
    queryLimit?: boolean;
  }
}

/** Paths of the public API; another method on them is 405, not 404. */
export const API_PATHS = new Set(['/api/is-account', '/api/person-info', '/api/out-of-office', '/api/do-not-disturb']);

/** Fastify's own errors, by code, as the contract's errors. */
const FASTIFY_ERRORS: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'REQUEST_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_CONTENT_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_NOT_OBJECT',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BODY_NOT_JSON',
};

function asSwitchboardError(error: FastifyError, isUnavailable: (error: unknown) => boolean): SwitchboardError {
  if (error instanceof SwitchboardError) return error;
  // Schema validation runs only where a real validator is set (the admin API); the public API validates by hand.
  if (error.validation)
    return new SwitchboardError('REQUEST_INVALID', describeValidation(error.validation, error.validationContext));
  if (isUnavailable(error)) return new SwitchboardError('DATABASE_UNAVAILABLE');
  const code = FASTIFY_ERRORS[error.code];
  if (code) return new SwitchboardError(code);
  // The JSON body parser throws a SyntaxError (or a prototype-poisoning error) with status 400.
  if (error.statusCode === 400 || error instanceof SyntaxError) return new SwitchboardError('BODY_NOT_JSON');
  if (error.statusCode === 413) return new SwitchboardError('REQUEST_TOO_LARGE');
  return new SwitchboardError('UNEXPECTED');
}

/** Seconds a client should wait before trying again after a 503. */
const RETRY_AFTER_SECONDS = 2;

function send(reply: FastifyReply, error: SwitchboardError): FastifyReply {
  if (error.status === 405) reply.header('allow', 'GET, HEAD, POST');
  if (error.status === 503) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
  return reply.code(error.status).send({ success: false, error: true, message: error.message });
}

function isApiPath(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/** A request without a route: another method on an endpoint of the API (405), or an unknown path (404). */
function notFound(request: FastifyRequest): ErrorCode {
  const path = request.url.split('?', 1)[0] ?? '';
  return API_PATHS.has(path) ? 'METHOD_NOT_ALLOWED' : 'RESOURCE_NOT_FOUND';
}

/**
 * Every failure answers the contract's error body. The detail of an unexpected error goes to the
 * log, never to the client.
 */
export const errorsPlugin = fp(
  async (app) => {
    app.addHook('onRequest', async (request: FastifyRequest) => {
      // No route under /api/: answer 404 or 405 now, before a body is read, so that a broken body on
      // a wrong method or path cannot turn the answer into a 400 or 415. (The admin API answers its
      // unknown paths itself, after checking the operator token.)
      if (request.is404 && isApiPath(request)) fail(notFound(request));
      if (request.routeOptions.config.queryLimit === false) return;
      const start = request.url.indexOf('?');
      if (start >= 0 && Buffer.byteLength(request.url) - start - 1 > MAX_QUERY_BYTES) fail('REQUEST_TOO_LARGE');
    });

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const known = asSwitchboardError(error, app.store.capabilities.isUnavailable);
      if (known.status >= 500) request.log.error({ err: error }, 'request failed');
      return send(reply, known);
    });

    app.setNotFoundHandler((request, reply) => send(reply, new SwitchboardError(notFound(request))));
  },
  { name: 'switchboard-errors', dependencies: ['switchboard-context'], fastify: '5.x' },
);
