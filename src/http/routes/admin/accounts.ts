import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { createAccount, getAccount, listAccounts, updateAccount } from '../../../service/accounts.js';
import {
  Account,
  AccountChange,
  AccountFilter,
  AccountList,
  AccountParams,
  ADMIN,
  adminErrors,
  NewAccount,
} from '../../schemas/admin.js';
import { ADMIN_PREFIX, adminChange } from './operator.js';

export default async function accounts(parent: FastifyInstance) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/accounts',
    {
      schema: {
        ...ADMIN,
        summary: 'Create an account',
        description: 'Answers the account with its new talk-to-me identifier; 409 if the email is taken.',
        body: NewAccount,
        response: { 201: Account, ...adminErrors },
      },
    },
    async (request, reply) => {
      const account = await createAccount(app.store.db, request.body, adminChange(app));
      reply.header('location', `${ADMIN_PREFIX}/accounts/${encodeURIComponent(account.email)}`);
      return reply.code(201).send(account);
    },
  );

  app.get(
    '/accounts',
    {
      schema: {
        ...ADMIN,
        summary: 'List accounts',
        querystring: AccountFilter,
        response: { 200: AccountList, ...adminErrors },
      },
    },
    async (request) => ({ accounts: await listAccounts(app.store.db, request.query.companyId) }),
  );

  app.get(
    '/accounts/:email',
    {
      schema: {
        ...ADMIN,
        summary: 'Read an account',
        params: AccountParams,
        response: { 200: Account, ...adminErrors },
      },
    },
    async (request) => getAccount(app.store.db, request.params.email),
  );

  app.patch(
    '/accounts/:email',
    {
      schema: {
        ...ADMIN,
        summary: 'Change an account',
        description:
          'Profile, verification, lock and online state. A field left out stays; `null` or an empty string clears an optional text.',
        params: AccountParams,
        body: AccountChange,
        response: { 200: Account, ...adminErrors },
      },
    },
    async (request) => updateAccount(app.store.db, request.params.email, request.body, adminChange(app)),
  );
}
