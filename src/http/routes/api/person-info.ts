import type { FastifyInstance } from 'fastify';
import { lookUpPerson } from '../../../service/people.js';
import { RequestParams } from '../../params.js';
import { errorResponses } from '../../schemas/common.js';
import { PersonInfoAnswer, PersonInfoParams } from '../../schemas/person-info.js';
import { API_METHODS } from './methods.js';

export default async function personInfo(app: FastifyInstance) {
  app.route({
    method: API_METHODS,
    url: '/api/person-info',
    schema: {
      summary: 'Read account information',
      querystring: PersonInfoParams,
      response: { 200: PersonInfoAnswer, ...errorResponses },
    },
    handler: async (request) => {
      const params = new RequestParams(request);
      // talkToMeId wins over email; with neither, the contract names talkToMeId.
      const byTalkToMeId = params.has('talkToMeId') || !params.has('email');
      params.require(byTalkToMeId ? 'talkToMeId' : 'email');
      // A public lookup needs no credentials, but a key sent with it makes companyId required (CONTRACT.md 6.2).
      const sendsKey = params.has('key') || Boolean(request.headers.authorization?.trim());
      if (!byTalkToMeId || sendsKey) params.require('companyId');
      const { companyId, key, talkToMeId, email } = params.read(PersonInfoParams, [
        'companyId',
        'key',
        byTalkToMeId ? 'talkToMeId' : 'email',
      ]);
      const viewer =
        sendsKey || !byTalkToMeId ? await request.authenticate({ companyId: companyId ?? '', key }) : undefined;
      const query = talkToMeId !== undefined ? { talkToMeId } : { email: email ?? '' };
      return { success: true, error: false, ...(await lookUpPerson(app.store.db, query, viewer?.id, app.clock())) };
    },
  });
}
