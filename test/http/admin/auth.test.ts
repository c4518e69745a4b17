import { describe, expect, it } from 'vitest';
import { configFromEnv } from '../../../src/http/config.js';
import { makeCompany } from '../../factories.js';
import { buildTestApp, call } from '../../helper.js';
import { ADMIN_TOKEN, adminCall, buildAdminApp, errorBody } from './admin-client.js';

const NOT_FOUND = errorBody('Resource not found.');
const REQUIRED = errorBody('Authentication required: send the operator token as Authorization: Bearer <token>.');
const INVALID = errorBody('Invalid authentication.');

describe('admin API switched off', () => {
  it('answers 404 on every /admin/ path when no operator token is configured, with or without a token', async () => {
    const { app } = await buildTestApp();
    for (const url of ['/admin/v1/companies', '/admin/v1/audit', '/admin/v1/nope', '/admin/']) {
      for (const headers of [{}, { authorization: `Bearer ${ADMIN_TOKEN}` }] as Record<string, string>[]) {
        const answer = await adminCall(app, 'GET', url, undefined, headers);
        expect({ url, status: answer.status, body: answer.body }).toEqual({ url, status: 404, body: NOT_FOUND });
      }
    }
    const post = await adminCall(app, 'POST', '/admin/v1/companies', { name: 'X' });
    expect(post.status).toBe(404);
  });
});

describe('operator authentication', () => {
  it('answers 401 without an Authorization header, or with an empty one', async () => {
    const { app } = await buildAdminApp();
    for (const headers of [{}, { authorization: '' }, { authorization: '   ' }] as Record<string, string>[]) {
      const answer = await adminCall(app, 'GET', '/admin/v1/companies', undefined, headers);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 401, body: REQUIRED });
    }
  });

  it('answers 403 to a wrong token, another scheme, a bare token or a public API token', async () => {
    const { app, store } = await buildAdminApp();
    const company = await makeCompany(store);
    for (const authorization of [
      'Bearer wrong-token',
      `Bearer ${ADMIN_TOKEN}x`,
      `Bearer ${ADMIN_TOKEN.slice(0, -1)}`,
      `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`,
      ADMIN_TOKEN,
      `Bearer ${company.token()}`,
    ]) {
      const answer = await adminCall(app, 'GET', '/admin/v1/companies', undefined, { authorization });
      expect({ authorization, status: answer.status, body: answer.body }).toEqual({
        authorization,
        status: 403,
        body: INVALID,
      });
    }
  });

  it('accepts the token with Bearer in any letter case', async () => {
    const { app } = await buildAdminApp();
    for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
      const answer = await adminCall(app, 'GET', '/admin/v1/companies', undefined, {
        authorization: `${scheme} ${ADMIN_TOKEN}`,
      });
      expect(answer.status).toBe(200);
    }
  });

  it('checks the token before anything else: a bad body or unknown path without a token is still 401', async () => {
    const { app } = await buildAdminApp();
    const badBody = await adminCall(app, 'POST', '/admin/v1/companies', { nonsense: 1 }, {});
    expect(badBody.status).toBe(401);
    const unknown = await adminCall(app, 'GET', '/admin/v1/nope', undefined, {});
    expect(unknown.status).toBe(401);
    const wrong = await adminCall(app, 'GET', '/admin/v1/nope', undefined, { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(403);
  });

  it('answers 404 to the operator on an unknown admin path or method', async () => {
    const { call } = await buildAdminApp();
    for (const [method, url] of [
      ['GET', '/admin/v1/nope'],
      ['GET', '/admin/v1'],
      ['DELETE', '/admin/v1/companies'],
    ] as const) {
      const answer = await call(method, url);
      expect({ method, url, status: answer.status, body: answer.body }).toEqual({
        method,
        url,
        status: 404,
        body: NOT_FOUND,
      });
    }
  });

  it('leaves the public API as it was: its own parameter checks and messages, no operator token', async () => {
    const { app, store } = await buildAdminApp();
    const company = await makeCompany(store);
    const malformed = await call(app, '/api/is-account', {
      companyId: company.companyId,
      email: 'not-an-email',
      key: company.token(),
    });
    expect(malformed).toMatchObject({
      status: 400,
      body: errorBody('The parameter email must be a valid email address.'),
    });
    const withAdminToken = await call(
      app,
      '/api/is-account',
      { companyId: company.companyId, email: 'a@b.example' },
      { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } },
    );
    expect(withAdminToken).toMatchObject({ status: 403, body: INVALID });
    const text = await app.inject({
      method: 'POST',
      url: '/api/is-account',
      headers: { 'content-type': 'text/csv' },
      payload: 'email\na@b.example',
    });
    expect(text.statusCode).toBe(415);
  });
});

describe('SWITCHBOARD_ADMIN_TOKEN', () => {
  it('is read from the environment; unset or empty leaves the admin API off', () => {
    expect(configFromEnv({}).adminToken).toBeUndefined();
    expect(configFromEnv({ SWITCHBOARD_ADMIN_TOKEN: '' }).adminToken).toBeUndefined();
    expect(configFromEnv({ SWITCHBOARD_ADMIN_TOKEN: ADMIN_TOKEN }).adminToken).toBe(ADMIN_TOKEN);
  });

  it('refuses a token shorter than 16 characters or with white space', () => {
    for (const token of ['short', 'fifteen-chars-x', 'has white space in it!']) {
      expect(() => configFromEnv({ SWITCHBOARD_ADMIN_TOKEN: token })).toThrow(/SWITCHBOARD_ADMIN_TOKEN/);
    }
  });
});
