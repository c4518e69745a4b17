import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail } from '../../../domain/errors.js';
import { isOperatorToken } from '../../../domain/operator-token.js';
import type { Change } from '../../../service/change.js';

export const ADMIN_PREFIX = '/admin/v1';

/** Who the audit trail names for a change made through the admin API. */
export const ADMIN_ACTOR = 'admin';

export function adminChange(app: FastifyInstance): Change {
  return { actor: ADMIN_ACTOR, now: app.clock() };
}

const BEARER = /^bearer\s+(\S+)$/i;

/**
 * An onRequest hook: the operator token must come as `Authorization: Bearer <token>`. No header
 * (or an empty one) is 401; another scheme or a wrong token is 403.
 */
export function requireOperator(token: string) {
  return async (request: FastifyRequest) => {
    const header = request.headers.authorization?.trim();
    if (!header) fail('ADMIN_AUTHENTICATION_REQUIRED');
    const presented = BEARER.exec(header)?.[1];
    if (presented === undefined || !isOperatorToken(presented, token)) fail('AUTHENTICATION_INVALID');
  };
}
