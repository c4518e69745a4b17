import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import type { TObject } from 'typebox';
import { Type } from 'typebox';
import { describe, expect, it } from 'vitest';
import { ErrorSchema, SavedSchema } from '../../src/http/schemas/common.js';
import { DoNotDisturbParams } from '../../src/http/schemas/do-not-disturb.js';
import { IsAccountAnswer, IsAccountParams } from '../../src/http/schemas/is-account.js';
import { OutOfOfficeParams } from '../../src/http/schemas/out-of-office.js';
import { PersonInfoAnswer, PersonInfoParams } from '../../src/http/schemas/person-info.js';
import { buildTestApp } from '../helper.js';

/** The public endpoints with the TypeBox schemas of their parameters and success answer. */
const ENDPOINTS: Record<string, { params: TObject; answer: TObject }> = {
  '/api/is-account': { params: IsAccountParams, answer: IsAccountAnswer },
  '/api/person-info': { params: PersonInfoParams, answer: PersonInfoAnswer },
  '/api/out-of-office': { params: OutOfOfficeParams, answer: SavedSchema },
  '/api/do-not-disturb': { params: DoNotDisturbParams, answer: SavedSchema },
};

/** The contract's status table (CONTRACT.md 2), plus 503 of an unreachable database. */
const ERROR_CODES = ['400', '401', '403', '404', '405', '413', '415', '500', '503'];
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
const ERROR_REF = '#/components/schemas/Error';

interface Operation {
  operationId: string;
  tags?: string[];
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown>; required?: string[] } }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: Record<string, unknown> }> }>;
  security?: Record<string, string[]>[];
}
interface Document {
  openapi: string;
  info: { title: string; version: string; description: string };
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties: Record<string, unknown> }>;
    securitySchemes: Record<string, Record<string, string>>;
  };
}

async function openapiDocument(app: FastifyInstance): Promise<Document> {
  const response = await app.inject({ method: 'GET', url: '/openapi.json' });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  return response.json();
}

/**
 * Every route of the app as `METHOD path`, read from `printRoutes` (a tree whose lines are path
 * segments, four characters of indentation per level, with the methods in parentheses).
 */
function appRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    stack.length = depth;
    stack.push(match[2] ?? '');
    for (const method of match[3]?.split(', ') ?? []) routes.push(`${method} ${stack.join('')}`);
  }
  return routes;
}

/** `/admin/v1/companies/:companyId` as OpenAPI writes it. */
const asOpenapiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

/** The document's own routes and the docs' pages are served but not documented. */
const isDocumentation = (path: string) => path === '/openapi.json' || path === '/docs' || path.startsWith('/docs/');

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document with info, tag and the daily token schemes', async () => {
    const { app } = await buildTestApp();
    const document = await openapiDocument(app);

    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);

    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Switchboard Accounts API', version: expect.any(String) });
    expect(document.info.description).toContain('token = H(apiKey + H(apiKey + companyId + today))');
    expect(document.tags.map((tag) => tag.name)).toContain('Accounts API');

    const { key, bearer } = document.components.securitySchemes;
    expect(key).toMatchObject({ type: 'apiKey', in: 'query', name: 'key' });
    expect(bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const scheme of [key, bearer]) {
      expect(scheme?.description).toContain('token = H(apiKey + H(apiKey + companyId + today))');
    }
  });

  it('documents every route of the app, with every method but HEAD, and nothing else', async () => {
    // With the admin API on, so that its routes are served and must be documented too.
    const { app } = await buildTestApp({ adminToken: 'operator-token-of-the-openapi-test' });
    const document = await openapiDocument(app);
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    const served = appRoutes(app);
    expect(served).toContain('GET /api/is-account');
    expect(served).toContain('POST /admin/v1/companies');
    expect(document.tags.map((tag) => tag.name)).toContain('Admin');
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(document.paths['/admin/v1/companies']?.post?.security).toEqual([{ adminToken: [] }]);

    const expected = served
      .filter((route) => !route.startsWith('HEAD '))
      .map((route) => route.split(' ') as [string, string])
      .filter(([, path]) => !isDocumentation(path))
      .map(([method, path]) => `${method.toLowerCase()} ${asOpenapiPath(path)}`);
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(documented.sort()).toEqual([...new Set(expected)].sort());
    expect(documented.some((route) => route.startsWith('head '))).toBe(false);
  });

  it('documents each public endpoint as GET with query parameters and POST with a form or JSON body', async () => {
    const { app } = await buildTestApp();
    const document = await openapiDocument(app);

    for (const [path, { params }] of Object.entries(ENDPOINTS)) {
      const names = Object.keys(params.properties);
      const required = (params.required ?? []).filter((name) => name !== 'key');
      const { get, post } = document.paths[path] ?? {};

      expect(get?.tags, path).toEqual(['Accounts API']);
      expect(get?.parameters?.map((parameter) => parameter.name)).toEqual(names);
      expect(get?.parameters?.every((parameter) => parameter.in === 'query')).toBe(true);
      expect(get?.parameters?.filter((parameter) => parameter.required).map((p) => p.name)).toEqual(required);
      expect(get?.requestBody).toBeUndefined();

      expect(post?.tags, path).toEqual(['Accounts API']);
      expect(post?.parameters).toBeUndefined();
      expect(Object.keys(post?.requestBody?.content ?? {}).sort()).toEqual([JSON_TYPE, FORM]);
      for (const type of [FORM, JSON_TYPE]) {
        const schema = post?.requestBody?.content[type]?.schema;
        expect(Object.keys(schema?.properties ?? {}), `${path} ${type}`).toEqual(names);
        expect(schema?.required ?? []).toEqual(params.required ?? []);
      }
      expect(get?.summary).toBeTruthy();
      expect(post?.summary).toBe(get?.summary);
      expect(get?.operationId).not.toBe(post?.operationId);
    }
  });

  it('documents the success body and every error code of the contract with the Error schema', async () => {
    const { app } = await buildTestApp();
    const document = await openapiDocument(app);
    expect(Object.keys(document.components.schemas.Error?.properties ?? {})).toEqual(
      Object.keys(ErrorSchema.properties),
    );

    for (const [path, { answer }] of Object.entries(ENDPOINTS)) {
      for (const method of ['get', 'post']) {
        const responses = document.paths[path]?.[method]?.responses ?? {};
        expect(Object.keys(responses).sort(), `${method} ${path}`).toEqual(['200', ...ERROR_CODES]);
        const success = responses['200']?.content?.[JSON_TYPE]?.schema;
        expect(Object.keys((success?.properties as object) ?? {})).toEqual(Object.keys(answer.properties));
        for (const code of ERROR_CODES) {
          expect(responses[code]?.content?.[JSON_TYPE]?.schema, `${method} ${path} ${code}`).toEqual({
            $ref: ERROR_REF,
          });
          expect(responses[code]?.description).not.toBe('Default Response');
        }
        expect(responses['405']).toHaveProperty('headers.Allow');
      }
    }
  });

  it('requires the daily token on every public endpoint but person-info, where it is optional', async () => {
    const { app } = await buildTestApp();
    const document = await openapiDocument(app);
    const token = [{ key: [] }, { bearer: [] }];

    for (const path of Object.keys(ENDPOINTS)) {
      for (const method of ['get', 'post']) {
        const security = document.paths[path]?.[method]?.security;
        expect(security, `${method} ${path}`).toEqual(path === '/api/person-info' ? [{}, ...token] : token);
      }
    }
  });

  it('lists routes added later (the admin API) under their own tag, with their own answers', async () => {
    const { app } = await buildTestApp();
    app.route({
      method: 'GET',
      url: '/admin/v1/companies/:companyId',
      schema: {
        summary: 'Read a company',
        operationId: 'readCompany',
        tags: ['Admin'],
        params: Type.Object({ companyId: Type.String() }),
        response: { 200: Type.Object({ name: Type.String() }), 409: ErrorSchema, '4xx': ErrorSchema },
      },
      handler: async () => ({ name: 'Demo' }),
    });
    const document = await openapiDocument(app);

    const operation = document.paths['/admin/v1/companies/{companyId}']?.get;
    expect(operation?.tags).toEqual(['Admin']);
    expect(operation?.operationId).toBe('readCompany');
    expect(operation?.parameters).toMatchObject([{ name: 'companyId', in: 'path', required: true }]);
    expect(Object.keys(operation?.responses ?? {})).toEqual(['200', '409', '4XX']);
    for (const status of ['409', '4XX']) {
      expect(operation?.responses[status]?.content?.[JSON_TYPE]?.schema).toEqual({ $ref: ERROR_REF });
    }
    expect(operation?.security).toBeUndefined();
    expect(document.tags.map((tag) => tag.name)).toEqual(['Accounts API', 'Admin']);
    expect((await new Validator().validate(document as unknown as Record<string, unknown>)).valid).toBe(true);
  });
});

describe('the documentation routes', () => {
  it('serve the same document at /docs/json, and the Swagger UI page and assets at /docs', async () => {
    const { app } = await buildTestApp();
    const document = await openapiDocument(app);
    expect((await app.inject({ url: '/docs/json' })).json()).toEqual(document);

    for (const [url, type] of [
      ['/docs', 'text/html'],
      ['/docs/', 'text/html'],
      ['/docs/static/swagger-ui-bundle.js', 'application/javascript'],
      ['/docs/static/swagger-ui.css', 'text/css'],
      ['/docs/static/swagger-initializer.js', 'application/javascript'],
    ]) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type'], url).toContain(type);
    }
  });

  it('are not limited to 8 KiB of query string, while the API still is', async () => {
    const { app } = await buildTestApp();
    const query = `x=${'a'.repeat(9 * 1024)}`;
    for (const url of ['/openapi.json', '/docs', '/docs/static/swagger-ui.css']) {
      expect((await app.inject({ url: `${url}?${query}` })).statusCode, url).toBe(200);
    }
    const api = await app.inject({ url: `/api/is-account?${query}` });
    expect({ status: api.statusCode, body: api.json() }).toEqual({
      status: 413,
      body: { success: false, error: true, message: 'Request too large.' },
    });
  });

  it('leave the API JSON-only: unknown paths and methods answer the contract error body', async () => {
    const { app } = await buildTestApp();
    for (const [method, url, status] of [
      ['GET', '/api/openapi.json', 404],
      ['GET', '/api/docs', 404],
      ['GET', '/docs/static/no-such-file.js', 404],
      ['DELETE', '/api/is-account', 405],
    ] as const) {
      const response = await app.inject({ method, url });
      expect(response.statusCode, url).toBe(status);
      expect(response.headers['content-type'], url).toBe('application/json; charset=utf-8');
      expect(response.json()).toMatchObject({ success: false, error: true });
    }
  });
});
