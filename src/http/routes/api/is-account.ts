import type { FastifyInstance } from 'fastify';
import { lookUpAccount } from '../../../service/people.js';
import { readParams } from '../../params.js';
import { errorResponses } from '../../schemas/common.js';
import { IsAccountAnswer, IsAccountParams } from '../../schemas/is-account.js';
import { API_METHODS } from './methods.js';

export default async function isAccount(app: FastifyInstance) {
  app.route({
    method: API_METHODS,
    url: '/api/is-account',
    schema: {
      summary: 'Check for an existing account',
      querystring: IsAccountParams,
      response: { 200: IsAccountAnswer, ...errorResponses },
    },
    handler: async (request) => {
      const params = readParams(request, IsAccountParams);
      const company = await request.authenticate(params);
      return { success: true, error: false, ...(await lookUpAccount(app.store.db, company.id, params.email)) };
    },
  });
}
