import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { searchAudit } from '../../../service/audit-query.js';
import { ADMIN, AuditPage, AuditQuery, adminErrors } from '../../schemas/admin.js';

export default async function audit(parent: FastifyInstance) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/audit',
    {
      schema: {
        ...ADMIN,
        summary: 'Read the audit trail',
        description:
          'Newest first, one page at a time: pass the answer’s `nextCursor` as `cursor` for the next page. Filters match exactly; `since <= at < until`.',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...adminErrors },
      },
    },
    async (request) => searchAudit(app.store.db, request.query),
  );
}
