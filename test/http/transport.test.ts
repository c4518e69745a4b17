import type { FastifyRequest, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ERRORS } from '../../src/domain/errors.js';
import { defaultConfig } from '../../src/http/config.js';
import { loggerOptions, redactUrl } from '../../src/http/logging.js';
import { makeAccount, makeCompany } from '../factories.js';
import { buildTestApp, call } from '../helper.js';

const ENDPOINTS = ['/api/is-account', '/api/person-info', '/api/out-of-office', '/api/do-not-disturb'] as const;

/** The first missing parameter each endpoint names when called with nothing. */
const FIRST_MISSING: Record<(typeof ENDPOINTS)[number], string> = {
  '/api/is-account': 'companyId',
  '/api/person-info': 'talkToMeId',
  '/api/out-of-office': 'accountEmail',
  '/api/do-not-disturb': 'accountEmail',
};

const JSON_UTF8 = 'application/json; charset=utf-8';
const METHOD_NOT_ALLOWED = 'Method not allowed: use GET, HEAD or POST.';
const NOT_FOUND = 'Resource not found.';
const TOO_LARGE = 'Request too large.';
const UNSUPPORTED = 'Unsupported content type: send application/x-www-form-urlencoded or application/json.';
const NOT_JSON = ERRORS.BODY_NOT_JSON.message();
const NOT_OBJECT = 'The request body must be a JSON object.';
const UNEXPECTED_BODY = '{"success":false,"error":true,"message":"Unexpected server-side error."}';

const filled = (name: string) => `The parameter ${name} must be filled.`;
const notString = (name: string) => `The parameter ${name} must be a string.`;
const onlyOnce = (name: string) => `The parameter ${name} must be given only once.`;

function expectError(response: LightMyRequestResponse, status: number, message: string): void {
  expect({ status: response.statusCode, body: response.json() }).toEqual({
    status,
    body: { success: false, error: true, message },
  });
  expect(response.headers['content-type']).toBe(JSON_UTF8);
}

/** An app with a company and a verified account of it. */
async function setup() {
  const test = await buildTestApp();
  const company = await makeCompany(test.store);
  const account = await makeAccount(test.store, {
    companyId: company.companyId,
    email: 'paul.doe@example.com',
    name: 'Paul Doe',
    verified: true,
  });
  const inject = (options: InjectOptions) => test.app.inject(options);
  return { ...test, company, account, inject };
}

const EXISTS_VERIFIED = { success: true, error: false, exists: true, verified: true };

describe('methods', () => {
  const cases = ENDPOINTS.flatMap((url) => (['PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const).map((m) => [m, url]));

  it.each(cases)('%s %s -> 405 with Allow: GET, HEAD, POST', async (method, url) => {
    const { app } = await buildTestApp();
    const response = await app.inject({ method, url });
    expectError(response, 405, METHOD_NOT_ALLOWED);
    expect(response.headers.allow).toBe('GET, HEAD, POST');
  });

  it('PUT with a query string and a JSON body is still 405', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'PUT',
      url: '/api/is-account?email=a@example.com',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":"a@example.com"}',
    });
    expectError(response, 405, METHOD_NOT_ALLOWED);
    expect(response.headers.allow).toBe('GET, HEAD, POST');
  });

  it.each(ENDPOINTS)('HEAD %s answers like GET: same status and content type, no body', async (url) => {
    const { app } = await buildTestApp();
    const get = await app.inject({ method: 'GET', url });
    const head = await app.inject({ method: 'HEAD', url });
    expectError(get, 400, filled(FIRST_MISSING[url]));
    expect(head.statusCode).toBe(400);
    expect(head.headers['content-type']).toBe(JSON_UTF8);
    expect(head.body).toBe('');
  });

  it('HEAD is-account with valid parameters: 200, JSON, no body', async () => {
    const { app, company } = await setup();
    const query = { companyId: company.companyId, email: 'paul.doe@example.com', key: company.token() };
    const get = await app.inject({ method: 'GET', url: '/api/is-account', query });
    const head = await app.inject({ method: 'HEAD', url: '/api/is-account', query });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toEqual(EXISTS_VERIFIED);
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe(JSON_UTF8);
    expect(head.body).toBe('');
  });

  it('HEAD person-info by talk-to-me id: 200, JSON, no body', async () => {
    const { app, account } = await setup();
    const query = { talkToMeId: account.talkToMeId };
    const get = await app.inject({ method: 'GET', url: '/api/person-info', query });
    const head = await app.inject({ method: 'HEAD', url: '/api/person-info', query });
    expect(get.statusCode).toBe(200);
    expect(get.json()).toMatchObject({ success: true, error: false, name: 'Paul Doe' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toBe(JSON_UTF8);
    expect(head.body).toBe('');
  });

  it('HEAD of an unknown path: 404, JSON, no body', async () => {
    const { app } = await buildTestApp();
    const head = await app.inject({ method: 'HEAD', url: '/api/nothing' });
    expect(head.statusCode).toBe(404);
    expect(head.headers['content-type']).toBe(JSON_UTF8);
    expect(head.body).toBe('');
  });

  it.each(ENDPOINTS)('POST %s is accepted (400 for the first missing parameter, not 405)', async (url) => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    expectError(response, 400, filled(FIRST_MISSING[url]));
  });
});

describe('content type of every answer', () => {
  it('success answers are application/json; charset=utf-8', async () => {
    const { app, company, account } = await setup();
    const key = company.token();
    const responses = [
      await call(app, '/api/is-account', { companyId: company.companyId, email: 'paul.doe@example.com', key }),
      await call(app, '/api/person-info', { talkToMeId: account.talkToMeId }),
      await call(app, '/api/out-of-office', { accountEmail: account.email, companyId: company.companyId, key }),
      await call(app, '/api/do-not-disturb', { accountEmail: account.email, companyId: company.companyId, key }),
      await call(
        app,
        '/api/is-account',
        { companyId: company.companyId, email: 'x@example.com', key },
        { transport: 'json' },
      ),
      await call(
        app,
        '/api/is-account',
        { companyId: company.companyId, email: 'x@example.com', key },
        { transport: 'form' },
      ),
    ];
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe(JSON_UTF8);
      expect(response.body).toMatchObject({ success: true, error: false });
    }
  });

  it('error answers of every kind are application/json; charset=utf-8', async () => {
    const { app, company } = await setup();
    const statuses: number[] = [];
    const requests: InjectOptions[] = [
      { method: 'GET', url: '/api/is-account' }, // 400
      { method: 'GET', url: `/api/is-account?companyId=${company.companyId}&email=a@example.com` }, // 401
      { method: 'GET', url: `/api/is-account?companyId=${company.companyId}&email=a@example.com&key=00` }, // 403
      { method: 'GET', url: '/nowhere' }, // 404
      { method: 'DELETE', url: '/api/is-account' }, // 405
      { method: 'GET', url: `/api/is-account?x=${'a'.repeat(9000)}` }, // 413
      { method: 'POST', url: '/api/is-account', headers: { 'content-type': 'text/plain' }, payload: 'x' }, // 415
    ];
    for (const request of requests) {
      const response = await app.inject(request);
      statuses.push(response.statusCode);
      expect(response.headers['content-type']).toBe(JSON_UTF8);
      expect(response.json()).toMatchObject({ success: false, error: true });
    }
    expect(statuses).toEqual([400, 401, 403, 404, 405, 413, 415]);
  });
});

describe('unknown paths', () => {
  it.each([
    ['GET', '/api/unknown'],
    ['POST', '/api/unknown'],
    ['PUT', '/api/unknown'],
    ['GET', '/api/'],
    ['GET', '/api'],
    ['GET', '/api/is-account/extra'],
    ['GET', '/api/unknown?key=abc'],
    ['GET', '/'],
    ['GET', '/unknown'],
    ['GET', '/is-account'],
    ['POST', '/favicon.ico'],
  ] as const)('%s %s -> 404 Resource not found.', async (method, url) => {
    const { app } = await buildTestApp();
    const response = await app.inject({ method, url });
    expectError(response, 404, NOT_FOUND);
    expect(response.headers.allow).toBeUndefined();
  });
});

describe('oversized input', () => {
  it.each(ENDPOINTS)('%s: a query string over 8 KiB -> 413', async (url) => {
    const { app } = await buildTestApp();
    const query = `x=${'a'.repeat(8 * 1024 - 1)}`; // 8193 bytes
    expect(query.length).toBe(8 * 1024 + 1);
    expectError(await app.inject({ method: 'GET', url: `${url}?${query}` }), 413, TOO_LARGE);
  });

  it('a query string of exactly 8 KiB is not too large', async () => {
    const { app } = await buildTestApp();
    const query = `x=${'a'.repeat(8 * 1024 - 2)}`;
    expect(query.length).toBe(8 * 1024);
    expectError(await app.inject({ method: 'GET', url: `/api/is-account?${query}` }), 400, filled('companyId'));
  });

  it('the 8 KiB limit counts the raw (percent-encoded) query string', async () => {
    const { app } = await buildTestApp();
    // 2,800 encoded characters of 3 bytes each: 8,402 raw bytes, but only 2,800 decoded.
    const query = `x=${'%41'.repeat(2800)}`;
    expectError(await app.inject({ method: 'GET', url: `/api/is-account?${query}` }), 413, TOO_LARGE);
  });

  it('a query string over 8 KiB on a POST -> 413', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: `/api/is-account?x=${'a'.repeat(9000)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=a@example.com',
    });
    expectError(response, 413, TOO_LARGE);
  });

  it.each(ENDPOINTS)('%s: a form body over 64 KiB -> 413', async (url) => {
    const { app } = await buildTestApp();
    const payload = `x=${'a'.repeat(64 * 1024)}`;
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });
    expectError(response, 413, TOO_LARGE);
  });

  it.each(ENDPOINTS)('%s: a JSON body over 64 KiB -> 413', async (url) => {
    const { app } = await buildTestApp();
    const payload = JSON.stringify({ x: 'a'.repeat(64 * 1024) });
    const response = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expectError(response, 413, TOO_LARGE);
  });

  it('a body of exactly 64 KiB is not too large', async () => {
    const { app } = await buildTestApp();
    const payload = `x=${'a'.repeat(64 * 1024 - 2)}`;
    expect(payload.length).toBe(64 * 1024);
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload,
    });
    expectError(response, 400, filled('companyId'));
  });
});

describe('body content types', () => {
  it.each([
    ['text/plain', 'email=a@example.com'],
    ['text/plain; charset=utf-8', 'email=a@example.com'],
    ['application/xml', '<email>a@example.com</email>'],
    ['text/xml', '<email>a@example.com</email>'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="email"\r\n\r\na\r\n--x--\r\n'],
    ['application/octet-stream', 'email=a@example.com'],
  ])('%s -> 415', async (contentType, payload) => {
    const { app } = await buildTestApp();
    for (const url of ENDPOINTS) {
      const response = await app.inject({ method: 'POST', url, headers: { 'content-type': contentType }, payload });
      expectError(response, 415, UNSUPPORTED);
    }
  });

  it('a body without any content type -> 415', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({ method: 'POST', url: '/api/is-account', payload: 'email=a@example.com' });
    expect(response.headers['content-type']).toBe(JSON_UTF8);
    expectError(response, 415, UNSUPPORTED);
  });

  it('application/json with a charset is accepted', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: '{"email":"a@example.com"}',
    });
    expectError(response, 400, filled('companyId'));
  });

  it.each([
    '{"email":',
    '{email: "a@example.com"}',
    "{'email': 'a@example.com'}",
    '{"email":"a@example.com",}',
    'email=a@example.com',
  ])('malformed JSON %j -> 400', async (payload) => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expectError(response, 400, NOT_JSON);
  });

  it.each([
    ['an empty array', '[]'],
    ['an array of objects', '[{"email":"a@example.com"}]'],
    ['a string', '"email=a@example.com"'],
    ['null', 'null'],
    ['a number', '42'],
    ['a boolean', 'true'],
  ])('a JSON body that is %s -> 400', async (_what, payload) => {
    const { app } = await buildTestApp();
    for (const url of ENDPOINTS) {
      const response = await app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expectError(response, 400, NOT_OBJECT);
    }
  });
});

describe('JSON value types', () => {
  const json = (payload: unknown, url = '/api/is-account') => ({
    method: 'POST' as const,
    url,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });

  it.each([
    ['a number', 42],
    ['an array', ['a@example.com']],
    ['an object', { address: 'a@example.com' }],
    ['a boolean', true],
  ])('email as %s -> 400 must be a string', async (_what, value) => {
    const { app } = await buildTestApp();
    const response = await app.inject(json({ companyId: 'JSOM3ACS72QAJ2I1IM1D5VNFGR', email: value }));
    expectError(response, 400, notString('email'));
  });

  it('companyId as a number -> 400 must be a string', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject(json({ companyId: 12345, email: 'a@example.com' }));
    expectError(response, 400, notString('companyId'));
  });

  it('key as a number -> 400 must be a string', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject(
      json({ companyId: 'JSOM3ACS72QAJ2I1IM1D5VNFGR', email: 'a@example.com', key: 1 }),
    );
    expectError(response, 400, notString('key'));
  });

  it('out-of-office awayFrom as an array -> 400 must be a string', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject(
      json(
        { accountEmail: 'a@example.com', companyId: 'JSOM3ACS72QAJ2I1IM1D5VNFGR', awayFrom: ['2023-08-01'] },
        '/api/out-of-office',
      ),
    );
    expectError(response, 400, notString('awayFrom'));
  });

  it('person-info talkToMeId as a number -> 400 must be a string', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject(json({ talkToMeId: 1234567890 }, '/api/person-info'));
    expectError(response, 400, notString('talkToMeId'));
  });

  it.each([
    ['a number', 1],
    ['an array', ['true']],
    ['an object', { value: true }],
  ])('dnd as %s -> 400 must be a string', async (_what, dnd) => {
    const { app } = await buildTestApp();
    const response = await app.inject(
      json({ accountEmail: 'a@example.com', companyId: 'JSOM3ACS72QAJ2I1IM1D5VNFGR', dnd }, '/api/do-not-disturb'),
    );
    expectError(response, 400, notString('dnd'));
  });

  it('dnd may be a JSON boolean', async () => {
    const { app, company, account } = await setup();
    for (const dnd of [false, true]) {
      const response = await app.inject(
        json(
          { accountEmail: account.email, companyId: company.companyId, key: company.token(), dnd },
          '/api/do-not-disturb',
        ),
      );
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ success: true, error: false, message: 'The changes have been saved' });
    }
  });

  it('JSON null counts as missing', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject(json({ companyId: 'JSOM3ACS72QAJ2I1IM1D5VNFGR', email: null }));
    expectError(response, 400, filled('email'));
  });

  it('JSON null as the first parameter counts as missing', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject(json({ companyId: null, email: 'a@example.com' }));
    expectError(response, 400, filled('companyId'));
  });

  it('a JSON null in the body does not hide the query value', async () => {
    const { app, company } = await setup();
    const response = await app.inject({
      ...json({ companyId: company.companyId, email: null, key: company.token() }),
      url: '/api/is-account?email=paul.doe@example.com',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(EXISTS_VERIFIED);
  });

  it('an empty JSON object is a missing parameter, not a malformed body', async () => {
    const { app } = await buildTestApp();
    expectError(await app.inject(json({})), 400, filled('companyId'));
  });
});

describe('repeated parameters', () => {
  it('a parameter twice in the query -> 400 must be given only once', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'GET',
      url: '/api/is-account?companyId=JSOM3ACS72QAJ2I1IM1D5VNFGR&email=a@example.com&email=b@example.com',
    });
    expectError(response, 400, onlyOnce('email'));
  });

  it('the same value twice in the query is still twice', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'GET',
      url: '/api/is-account?companyId=JSOM3ACS72QAJ2I1IM1D5VNFGR&companyId=JSOM3ACS72QAJ2I1IM1D5VNFGR&email=a@example.com',
    });
    expectError(response, 400, onlyOnce('companyId'));
  });

  it('key twice in the query -> 400 must be given only once', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'GET',
      url: '/api/is-account?companyId=JSOM3ACS72QAJ2I1IM1D5VNFGR&email=a@example.com&key=aa&key=bb',
    });
    expectError(response, 400, onlyOnce('key'));
  });

  it('a parameter twice in a form body -> 400 must be given only once', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/api/do-not-disturb',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'accountEmail=a@example.com&companyId=JSOM3ACS72QAJ2I1IM1D5VNFGR&dnd=true&dnd=false',
    });
    expectError(response, 400, onlyOnce('dnd'));
  });

  it('a required parameter twice in a form body -> 400 must be given only once', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'companyId=JSOM3ACS72QAJ2I1IM1D5VNFGR&email=a@example.com&email=b@example.com',
    });
    expectError(response, 400, onlyOnce('email'));
  });

  it('a missing parameter is reported before a repeated one', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'GET',
      url: '/api/is-account?email=a@example.com&email=b@example.com',
    });
    expectError(response, 400, filled('companyId'));
  });
});

describe('merging query and body', () => {
  it('a form body value wins over a query value', async () => {
    const { app, company } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account?email=nobody@example.com',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        companyId: company.companyId,
        email: 'paul.doe@example.com',
        key: company.token(),
      }).toString(),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(EXISTS_VERIFIED);
  });

  it('a JSON body value wins over a query value', async () => {
    const { app, company } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account?email=nobody@example.com&companyId=not-a-company',
      headers: { 'content-type': 'application/json' },
      payload: { companyId: company.companyId, email: 'paul.doe@example.com', key: company.token() },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(EXISTS_VERIFIED);
  });

  it('a body value wins over a malformed query value', async () => {
    const { app, company } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account?email=not-an-email',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `companyId=${company.companyId}&email=paul.doe%40example.com&key=${company.token()}`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(EXISTS_VERIFIED);
  });

  it('a body value and a query value of the same name are not a repetition', async () => {
    const { app, company } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: `/api/is-account?companyId=${company.companyId}&email=paul.doe@example.com&key=${company.token()}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=paul.doe@example.com',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(EXISTS_VERIFIED);
  });

  it('an empty form body value does not hide the query value', async () => {
    const { app, company } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account?email=paul.doe@example.com',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `companyId=${company.companyId}&email=&key=${company.token()}`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(EXISTS_VERIFIED);
  });

  it('an empty JSON body value does not hide the query value', async () => {
    const { app, company } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account?email=paul.doe@example.com',
      headers: { 'content-type': 'application/json' },
      payload: { companyId: company.companyId, email: '', key: company.token() },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(EXISTS_VERIFIED);
  });

  it('a blank (white space only) body value does not hide the query value', async () => {
    const { app, company } = await setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account?email=paul.doe@example.com',
      headers: { 'content-type': 'application/json' },
      payload: { companyId: company.companyId, email: '   ', key: company.token() },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(EXISTS_VERIFIED);
  });

  it('an empty query value with no body value is missing', async () => {
    const { app } = await buildTestApp();
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account?email=',
      headers: { 'content-type': 'application/json' },
      payload: { companyId: 'JSOM3ACS72QAJ2I1IM1D5VNFGR' },
    });
    expectError(response, 400, filled('email'));
  });
});

describe('values', () => {
  it('query values are trimmed', async () => {
    const { app, company } = await setup();
    const response = await call(app, '/api/is-account', {
      companyId: `  ${company.companyId}  `,
      email: ' \t paul.doe@example.com  ',
      key: ` ${company.token()} `,
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(EXISTS_VERIFIED);
  });

  it('form values are trimmed', async () => {
    const { app, company } = await setup();
    const response = await call(
      app,
      '/api/is-account',
      { companyId: ` ${company.companyId} `, email: ' paul.doe@example.com ', key: ` ${company.token()} ` },
      { transport: 'form' },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual(EXISTS_VERIFIED);
  });

  it('JSON values are trimmed', async () => {
    const { app, company } = await setup();
    const response = await call(
      app,
      '/api/is-account',
      { companyId: ` ${company.companyId}\n`, email: '\tpaul.doe@example.com ', key: ` ${company.token()} ` },
      { transport: 'json' },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual(EXISTS_VERIFIED);
  });

  it('a value of white space only counts as missing', async () => {
    const { app } = await buildTestApp();
    const response = await call(app, '/api/is-account', { companyId: 'JSOM3ACS72QAJ2I1IM1D5VNFGR', email: '   ' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ success: false, error: true, message: filled('email') });
  });

  it('a trimmed dnd value is read', async () => {
    const { app, company, account } = await setup();
    const response = await call(app, '/api/do-not-disturb', {
      accountEmail: account.email,
      companyId: company.companyId,
      key: company.token(),
      dnd: '  off ',
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ success: true, error: false, message: 'The changes have been saved' });
  });

  it.each(['query', 'form', 'json'] as const)('unknown parameters are ignored (%s)', async (transport) => {
    const { app, company } = await setup();
    const response = await call(
      app,
      '/api/is-account',
      {
        companyId: company.companyId,
        email: 'paul.doe@example.com',
        key: company.token(),
        foo: 'bar',
        Email: 'not-an-email',
        verified: 'false',
        debug: '1',
      },
      { transport },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual(EXISTS_VERIFIED);
  });

  it('an unknown parameter given twice is ignored', async () => {
    const { app, company } = await setup();
    const response = await app.inject({
      method: 'GET',
      url: `/api/is-account?companyId=${company.companyId}&email=paul.doe@example.com&key=${company.token()}&x=1&x=2`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(EXISTS_VERIFIED);
  });
});

describe('unexpected failures', () => {
  it('a destroyed database answers 500 with the generic error body only', async () => {
    const { app, store, company } = await setup();
    await store.db.destroy();
    const response = await app.inject({
      method: 'GET',
      url: '/api/is-account',
      query: { companyId: company.companyId, email: 'paul.doe@example.com', key: company.token() },
    });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toBe(JSON_UTF8);
    expect(response.body).toBe(UNEXPECTED_BODY);
  });

  it('an SQL error answers 500 without SQL, table names or stack in the body', async () => {
    const { app, store, company } = await setup();
    await sql`DROP TABLE channel_members`.execute(store.db);
    await sql`DROP TABLE accounts`.execute(store.db);
    const response = await app.inject({
      method: 'POST',
      url: '/api/is-account',
      headers: { 'content-type': 'application/json' },
      payload: { companyId: company.companyId, email: 'paul.doe@example.com', key: company.token() },
    });
    expect(response.statusCode).toBe(500);
    expect(response.headers['content-type']).toBe(JSON_UTF8);
    expect(response.body).toBe(UNEXPECTED_BODY);
    expect(response.body).not.toMatch(/accounts|SELECT|sqlite|at .*\.ts|stack/i);
  });

  it('a write that fails answers 500 with the generic error body', async () => {
    const { app, store, company, account } = await setup();
    await sql`DROP TABLE audit`.execute(store.db);
    const response = await call(app, '/api/do-not-disturb', {
      accountEmail: account.email,
      companyId: company.companyId,
      key: company.token(),
    });
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toBe(JSON_UTF8);
    expect(response.raw).toBe(UNEXPECTED_BODY);
  });
});

describe('logging', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Captures what the app's own pino logger writes (pino writes to process.stdout once its write is replaced). */
  function captureStdout(): string[] {
    const lines: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    return lines;
  }

  async function loggingApp() {
    const lines = captureStdout();
    const test = await buildTestApp({ logLevel: 'info', logRequests: true });
    const company = await makeCompany(test.store);
    await makeAccount(test.store, { companyId: company.companyId, email: 'paul.doe@example.com', verified: true });
    return { ...test, company, lines };
  }

  it('the request log of the real app contains neither the key parameter nor the Authorization header', async () => {
    const { app, company, lines } = await loggingApp();
    const queryToken = company.token();
    const headerToken = company.token(undefined, 1);
    const byQuery = await app.inject({
      method: 'GET',
      url: `/api/is-account?companyId=${company.companyId}&key=${queryToken}&email=paul.doe@example.com`,
    });
    const byHeader = await app.inject({
      method: 'GET',
      url: `/api/is-account?companyId=${company.companyId}&email=paul.doe@example.com`,
      headers: { authorization: `Bearer ${headerToken}` },
    });
    const byBody = await app.inject({
      method: 'POST',
      url: '/api/is-account',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `companyId=${company.companyId}&email=paul.doe@example.com&key=${queryToken}`,
    });
    expect([byQuery.statusCode, byHeader.statusCode, byBody.statusCode]).toEqual([200, 200, 200]);

    const log = lines.join('');
    const entries = log
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { msg?: string; req?: { url?: string } });
    // The request log is really on: one incoming line per request, with the URL.
    const incoming = entries.filter((entry) => entry.msg === 'incoming request');
    expect(incoming.map((entry) => entry.req?.url)).toEqual([
      `/api/is-account?companyId=${company.companyId}&key=[redacted]&email=paul.doe@example.com`,
      `/api/is-account?companyId=${company.companyId}&email=paul.doe@example.com`,
      '/api/is-account',
    ]);
    expect(log).not.toContain(queryToken);
    expect(log).not.toContain(headerToken);
    expect(log).not.toContain(queryToken.toUpperCase());
    expect(log).not.toContain(company.apiKey);
    expect(log.toLowerCase()).not.toContain('bearer');
  });

  it('the request log redacts the key parameter even when its name is percent-encoded', async () => {
    const { app, company, lines } = await loggingApp();
    const token = company.token();
    const response = await app.inject({
      method: 'GET',
      url: `/api/is-account?companyId=${company.companyId}&k%65y=${token}&email=paul.doe@example.com`,
    });
    // The service reads the encoded name as the key parameter (200), so the log must not show its value.
    expect({ status: response.statusCode, tokenInLog: lines.join('').includes(token) }).toEqual({
      status: 200,
      tokenInLog: false,
    });
  });

  it('an unexpected error goes to the log with its detail, not to the client', async () => {
    const { app, store, company, lines } = await loggingApp();
    await sql`DROP TABLE channel_members`.execute(store.db);
    await sql`DROP TABLE accounts`.execute(store.db);
    const token = company.token();
    const response = await app.inject({
      method: 'GET',
      url: `/api/is-account?companyId=${company.companyId}&email=paul.doe@example.com&key=${token}`,
    });
    expect(response.statusCode).toBe(500);
    expect(response.body).toBe(UNEXPECTED_BODY);
    const errors = lines
      .join('')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; err?: { message?: string; stack?: string } })
      .filter((entry) => entry.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.err?.message).toMatch(/accounts/);
    expect(errors[0]?.err?.stack).toBeTruthy();
    expect(lines.join('')).not.toContain(token);
  });
});

describe('loggerOptions and redactUrl', () => {
  function capture(config = { ...defaultConfig, logLevel: 'info', logRequests: true }) {
    const lines: string[] = [];
    const options = loggerOptions(config);
    if (options === false) throw new Error('logging is off');
    const logger = pino(options, { write: (line: string) => lines.push(line) });
    return { logger, lines };
  }

  function fakeRequest(url: string, authorization?: string): FastifyRequest {
    return {
      method: 'GET',
      url,
      ip: '127.0.0.1',
      headers: authorization === undefined ? {} : { authorization },
      query: { key: 'query-token-secret' },
      body: { key: 'body-token-secret' },
    } as unknown as FastifyRequest;
  }

  it('no logger when the log level is false', () => {
    expect(loggerOptions({ ...defaultConfig, logLevel: false })).toBe(false);
  });

  it('the req serializer redacts the key parameter and leaves out the Authorization header', () => {
    const { logger, lines } = capture();
    logger.info(
      {
        req: fakeRequest(
          '/api/is-account?companyId=X&key=url-token-secret&email=a@example.com',
          'Bearer header-secret',
        ),
      },
      'incoming request',
    );
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '{}') as { req: { method: string; url: string; remoteAddress: string } };
    expect(entry.req).toEqual({
      method: 'GET',
      url: '/api/is-account?companyId=X&key=[redacted]&email=a@example.com',
      remoteAddress: '127.0.0.1',
    });
    const log = lines.join('');
    expect(log).not.toContain('url-token-secret');
    expect(log).not.toContain('header-secret');
    expect(log).not.toContain('query-token-secret');
    expect(log).not.toContain('body-token-secret');
  });

  it('the key as first parameter and as last parameter is redacted', () => {
    const { logger, lines } = capture();
    logger.info({ req: fakeRequest('/api/is-account?key=first-secret&email=a@example.com') }, 'one');
    logger.info({ req: fakeRequest('/api/is-account?email=a@example.com&key=last-secret') }, 'two');
    const log = lines.join('');
    expect(log).not.toContain('first-secret');
    expect(log).not.toContain('last-secret');
  });

  it('an API key nested in a logged object is redacted', () => {
    const { logger, lines } = capture();
    logger.info({ company: { apiKey: 'api-key-secret', api_key: 'api-key-secret-2' } }, 'company');
    const log = lines.join('');
    expect(log).not.toContain('api-key-secret');
    expect(log).toContain('[redacted]');
  });

  it('redactUrl replaces every key value and nothing else', () => {
    expect(redactUrl('/api/is-account?key=abc')).toBe('/api/is-account?key=[redacted]');
    expect(redactUrl('/api/is-account?email=a@example.com&key=abc&companyId=X')).toBe(
      '/api/is-account?email=a@example.com&key=[redacted]&companyId=X',
    );
    expect(redactUrl('/api/is-account?key=a&key=b')).toBe('/api/is-account?key=[redacted]&key=[redacted]');
    expect(redactUrl('/api/is-account?monkey=abc&keys=def')).toBe('/api/is-account?monkey=abc&keys=def');
    expect(redactUrl('/api/is-account')).toBe('/api/is-account');
  });
});
