import type { FastifyInstance } from 'fastify';
import { fail } from '../../../domain/errors.js';
import { setAbsence } from '../../../service/absence.js';
import { readParams } from '../../params.js';
import { errorResponses, SavedSchema } from '../../schemas/common.js';
import { OutOfOfficeParams } from '../../schemas/out-of-office.js';
import { API_METHODS, apiActor } from './methods.js';

export default async function outOfOffice(app: FastifyInstance) {
  app.route({
    method: API_METHODS,
    url: '/api/out-of-office',
    schema: {
      summary: 'Set absence information',
      querystring: OutOfOfficeParams,
      response: { 200: SavedSchema, ...errorResponses },
    },
    handler: async (request) => {
      const params = readParams(request, OutOfOfficeParams);
      if (params.awayFrom && params.awayUntil && params.awayFrom > params.awayUntil) fail('ABSENCE_REVERSED');
      const company = await request.authenticate(params);
      await setAbsence(app.store.db, company.id, params, { actor: apiActor(company.id), now: app.clock() });
      return { success: true, error: false, message: 'The changes have been saved' } as const;
    },
  });
}
