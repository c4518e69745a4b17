import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { SwitchboardError } from '../../../domain/errors.js';
import accounts from './accounts.js';
import audit from './audit.js';
import channels from './channels.js';
import companies from './companies.js';
import accountImport from './import.js';
import { ADMIN_PREFIX, requireOperator } from './operator.js';

/**
 * The admin API for the operator, under `/admin/v1/`. Without an operator token in the config it
 * is not registered at all, so its paths answer 404 like any unknown path.
 */
export default async function admin(app: FastifyInstance) {
  const token = app.config.adminToken;
  if (!token) return;
  // Registered without fastify-plugin: the validator, hook and not-found handler stay in this scope,
  // and the public API keeps its own parameter checks.
  await app.register(
    async (adminApp) => {
      adminApp.setValidatorCompiler(TypeBoxValidatorCompiler);
      adminApp.addHook('onRequest', requireOperator(token));
      // An unknown admin path answers 404 only to the operator.
      adminApp.setNotFoundHandler(async () => {
        throw new SwitchboardError('RESOURCE_NOT_FOUND');
      });
      await adminApp.register(companies);
      await adminApp.register(accounts);
      await adminApp.register(accountImport);
      await adminApp.register(channels);
      await adminApp.register(audit);
    },
    { prefix: ADMIN_PREFIX },
  );
}
