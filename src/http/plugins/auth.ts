import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { utcDay } from '../../domain/access-token.js';
import { fail, SwitchboardError } from '../../domain/errors.js';
import { authenticateCompany } from '../../service/authentication.js';
import type { CompanyRow } from '../../store/schema/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token sent as `Authorization` header (preferred) or `key` parameter, if any. */
    accessToken(key: string | undefined): string | undefined;
    /** The company that the request's token belongs to; 401 without a token, 403 with a wrong one. */
    authenticate(credentials: { companyId: string; key?: string }): Promise<CompanyRow>;
  }
  interface FastifyInstance {
    /** Adds checks around every `request.authenticate` (the rate limits use it). */
    addAuthenticationGuard(guard: AuthenticationGuard): void;
  }
}

/** Checks around an authentication; each may throw to refuse the request. */
export interface AuthenticationGuard {
  /** Before the token is checked (after the 401 for a missing one). */
  before(request: FastifyRequest): Promise<void>;
  /** After a wrong token or an unknown company, before the 403 is answered. */
  failed(request: FastifyRequest): Promise<void>;
  /** After a successful authentication. */
  succeeded(request: FastifyRequest, company: CompanyRow): Promise<void>;
}

const BEARER = /^bearer\s+(\S+)$/i;

/** The token in an Authorization header: bare or `Bearer <token>`; any other scheme is invalid. */
function tokenFromHeader(header: string): string {
  const bearer = BEARER.exec(header);
  if (bearer?.[1]) return bearer[1];
  return /\s/.test(header) ? fail('AUTHENTICATION_INVALID') : header;
}

export const authPlugin = fp(
  async (app) => {
    const guards: AuthenticationGuard[] = [];
    app.decorate('addAuthenticationGuard', (guard: AuthenticationGuard) => void guards.push(guard));

    app.decorateRequest('accessToken', function (key: string | undefined) {
      const header = this.headers.authorization?.trim();
      return header ? tokenFromHeader(header) : key;
    });

    app.decorateRequest('authenticate', async function (credentials: { companyId: string; key?: string }) {
      const token = this.accessToken(credentials.key) ?? fail('AUTHENTICATION_REQUIRED');
      for (const guard of guards) await guard.before(this);
      const now = app.clock();
      const policy = { dayWindow: app.config.authDayWindow };
      let company: CompanyRow;
      try {
        company = await authenticateCompany(
          app.store.db,
          { companyId: credentials.companyId, token },
          utcDay(now.getTime()),
          policy,
          now,
        );
      } catch (error) {
        const invalid = error instanceof SwitchboardError && error.code === 'AUTHENTICATION_INVALID';
        if (invalid) for (const guard of guards) await guard.failed(this);
        throw error;
      }
      for (const guard of guards) await guard.succeeded(this, company);
      return company;
    });
  },
  { name: 'switchboard-auth', dependencies: ['switchboard-context'], fastify: '5.x' },
);
