import type { FastifyInstance } from 'fastify';
import admin from './admin/index.js';
import doNotDisturb from './api/do-not-disturb.js';
import isAccount from './api/is-account.js';
import outOfOffice from './api/out-of-office.js';
import personInfo from './api/person-info.js';

/** Every route of the service, listed rather than autoloaded so that a grep finds them. */
export async function routes(app: FastifyInstance) {
  await app.register(isAccount);
  await app.register(personInfo);
  await app.register(outOfOffice);
  await app.register(doNotDisturb);
  await app.register(admin);
}
