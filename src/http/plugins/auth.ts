import fp from 'fastify-plugin';
import { utcDay } from '../../domain/access-token.js';
import { fail } from '../../domain/errors.js';
import { authenticateCompany } from '../../service/authentication.js';
import type { CompanyRow } from '../../store/schema/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token sent as `Authorization` header (preferred) or `key` parameter, if any. */
    accessToken(key: string | undefined): string | undefined;
    /** The company that the request's token belongs to; 401 without a token, 403 with a wrong one. */
    authenticate(credentials: { companyId: string; key?: string }): Promise<CompanyRow>;
  }
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
    app.decorateRequest('accessToken', function (key: string | undefined) {
      const header = this.headers.authorization?.trim();
      return header ? tokenFromHeader(header) : key;
    });

    app.decorateRequest('authenticate', async function (credentials: { companyId: string; key?: string }) {
      const token = this.accessToken(credentials.key) ?? fail('AUTHENTICATION_REQUIRED');
      const today = utcDay(app.clock().getTime());
      return authenticateCompany(app.store.db, { companyId: credentials.companyId, token }, today, {
        dayWindow: app.config.authDayWindow,
      });
    });
  },
  { name: 'switchboard-auth', dependencies: ['switchboard-context'], fastify: '5.x' },
);
