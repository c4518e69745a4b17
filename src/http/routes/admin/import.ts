import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail, SwitchboardError } from '../../../domain/errors.js';
import { importAccounts } from '../../../service/account-import.js';
import {
  ADMIN,
  adminErrors,
  CompanyParams,
  ImportCsv,
  ImportQuery,
  ImportRejected,
  ImportResult,
} from '../../schemas/admin.js';
import { adminChange } from './operator.js';

/** A CSV file may be larger than the API's 64 KiB bodies: 10,000 rows of about 100 bytes. */
const MAX_CSV_BYTES = 1024 * 1024;

const CSV = 'text/csv';

/** Only CSV: a JSON or form body would reach the handler as an object. */
async function requireCsv(request: FastifyRequest) {
  const mediaType = (request.headers['content-type'] ?? '').split(';', 1)[0]?.trim().toLowerCase();
  if (mediaType !== CSV || typeof request.body !== 'string') fail('CSV_REQUIRED');
}

export default async function accountImport(parent: FastifyInstance) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  // In this plugin's scope only: nowhere else does Switchboard take CSV.
  app.addContentTypeParser(CSV, { parseAs: 'string', bodyLimit: MAX_CSV_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  // Any other type that no parser takes (text/plain, ...) is refused unread, with the CSV message.
  app.addContentTypeParser('*', (_request, _payload, done) => done(new SwitchboardError('CSV_REQUIRED')));

  app.post(
    '/companies/:companyId/accounts/import',
    {
      bodyLimit: MAX_CSV_BYTES,
      preValidation: requireCsv,
      schema: {
        ...ADMIN,
        summary: 'Import accounts from CSV',
        description:
          'Creates one account per row in the company. Rows that fail are reported with their row number (the header is row 1); the others are created in one transaction. With `atomic=true` no account is created when any row fails (400).',
        consumes: [CSV],
        params: CompanyParams,
        querystring: ImportQuery,
        body: ImportCsv,
        response: { 200: ImportResult, 400: ImportRejected, ...adminErrors },
      },
    },
    async (request, reply) => {
      const atomic = request.query.atomic ?? false;
      const result = await importAccounts(
        app.store.db,
        request.params.companyId,
        request.body,
        { atomic },
        adminChange(app),
      );
      if (!atomic || result.errors.length === 0) return result;
      const count = result.errors.length;
      const rejected = new SwitchboardError('IMPORT_REJECTED', `${count} row${count === 1 ? '' : 's'}`);
      return reply
        .code(400)
        .send({ success: false, error: true, message: rejected.message, created: 0, errors: result.errors });
    },
  );
}
