import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helper.js';

export const ADMIN_TOKEN = 'operator-token-for-tests-0123456789';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';

export interface AdminAnswer {
  status: number;
  headers: Record<string, unknown>;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field in the tests
  body: any;
}

/** Calls the admin API as the operator: JSON bodies, the bearer token unless `headers` replace it. */
export async function adminCall(
  app: FastifyInstance,
  method: Method,
  url: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${ADMIN_TOKEN}` },
): Promise<AdminAnswer> {
  const response = await app.inject({
    method,
    url,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.body === '' ? undefined : response.json(),
  };
}

/** Posts a CSV file to the import of a company. */
export async function importCsv(app: FastifyInstance, companyId: string, csv: string, query = '') {
  const response = await app.inject({
    method: 'POST',
    url: `/admin/v1/companies/${companyId}/accounts/import${query}`,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' },
    payload: csv,
  });
  return { status: response.statusCode, body: response.json() };
}

/** The app with the admin API on, and a caller bound to it. */
export async function buildAdminApp() {
  const test = await buildTestApp({ adminToken: ADMIN_TOKEN });
  const call = (method: Method, url: string, body?: unknown) => adminCall(test.app, method, url, body);
  return { ...test, call };
}

export function errorBody(message: string) {
  return { success: false, error: true, message };
}
