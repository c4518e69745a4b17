import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import {
  companyJson,
  createCompany,
  getCompany,
  listCompanies,
  rotateCompanyKey,
  updateCompany,
} from '../../../service/companies.js';
import {
  ADMIN,
  adminErrors,
  Company,
  CompanyChange,
  CompanyList,
  CompanyParams,
  CompanyWithKey,
  KeyRotation,
  NewCompany,
  RotatedKey,
} from '../../schemas/admin.js';
import { ADMIN_PREFIX, adminChange } from './operator.js';

export default async function companies(parent: FastifyInstance) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/companies',
    {
      schema: {
        ...ADMIN,
        summary: 'Create a company',
        description: 'Answers the new company with its API key, which is shown only here and by rotate-key.',
        body: NewCompany,
        response: { 201: CompanyWithKey, ...adminErrors },
      },
    },
    async (request, reply) => {
      const company = await createCompany(app.store.db, request.body, adminChange(app));
      reply.header('location', `${ADMIN_PREFIX}/companies/${company.companyId}`);
      return reply.code(201).send(company);
    },
  );

  app.get(
    '/companies',
    { schema: { ...ADMIN, summary: 'List the companies', response: { 200: CompanyList, ...adminErrors } } },
    async () => ({ companies: await listCompanies(app.store.db) }),
  );

  app.get(
    '/companies/:companyId',
    {
      schema: {
        ...ADMIN,
        summary: 'Read a company',
        params: CompanyParams,
        response: { 200: Company, ...adminErrors },
      },
    },
    async (request) => companyJson(await getCompany(app.store.db, request.params.companyId)),
  );

  app.patch(
    '/companies/:companyId',
    {
      schema: {
        ...ADMIN,
        summary: 'Change a company',
        description: 'A new hash function changes the access tokens at once.',
        params: CompanyParams,
        body: CompanyChange,
        response: { 200: Company, ...adminErrors },
      },
    },
    async (request) => updateCompany(app.store.db, request.params.companyId, request.body, adminChange(app)),
  );

  app.post(
    '/companies/:companyId/rotate-key',
    {
      schema: {
        ...ADMIN,
        summary: "Rotate a company's API key",
        description: 'The body is optional. Without `grace`, tokens of the old key stop working at once.',
        params: CompanyParams,
        body: KeyRotation,
        response: { 200: RotatedKey, ...adminErrors },
      },
      // No body at all is the common call: read it as an empty object.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => rotateCompanyKey(app.store.db, request.params.companyId, adminChange(app), request.body),
  );
}
