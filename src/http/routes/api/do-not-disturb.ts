import type { FastifyInstance } from 'fastify';
import { setDoNotDisturb } from '../../../service/do-not-disturb.js';
import { readParams } from '../../params.js';
import { errorResponses, SavedSchema } from '../../schemas/common.js';
import { DoNotDisturbParams } from '../../schemas/do-not-disturb.js';
import { API_METHODS, apiActor } from './methods.js';

export default async function doNotDisturb(app: FastifyInstance) {
  app.route({
    method: API_METHODS,
    url: '/api/do-not-disturb',
    schema: {
      summary: 'Set the do-not-disturb flag',
      querystring: DoNotDisturbParams,
      response: { 200: SavedSchema, ...errorResponses },
    },
    handler: async (request) => {
      const params = readParams(request, DoNotDisturbParams);
      const company = await request.authenticate(params);
      const dnd = params.dnd === undefined ? true : Boolean(params.dnd);
      await setDoNotDisturb(
        app.store.db,
        company.id,
        { accountEmail: params.accountEmail, dnd },
        {
          actor: apiActor(company.id),
          now: app.clock(),
        },
      );
      return { success: true, error: false, message: 'The changes have been saved' } as const;
    },
  });
}
