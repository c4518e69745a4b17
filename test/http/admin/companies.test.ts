import { describe, expect, it } from 'vitest';
import { computeAccessToken, utcDay } from '../../../src/domain/access-token.js';
import { makeCompany } from '../../factories.js';
import { call as callApi, NOON, snapshot } from '../../helper.js';
import { buildAdminApp, errorBody } from './admin-client.js';

const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ9';

/** A public API call with a company's token of the test day, to prove that its key works. */
async function isAccount(app: Parameters<typeof callApi>[0], companyId: string, apiKey: string, hash = 'sha256') {
  const key = computeAccessToken(apiKey, companyId, utcDay(NOON.getTime()), hash as 'sha256' | 'md5');
  return callApi(app, '/api/is-account', { companyId, email: 'nobody@example.com', key });
}

describe('admin companies', () => {
  it('creates a company (201, Location) and shows its API key once; the key works on the public API', async () => {
    const { app, call } = await buildAdminApp();
    const created = await call('POST', '/admin/v1/companies', { name: ' Acme Ltd. ', timezone: 'Europe/Berlin' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      companyId: expect.stringMatching(/^[A-Z0-9]{26}$/),
      name: 'Acme Ltd.',
      hash: 'sha256',
      timezone: 'Europe/Berlin',
      createdAt: NOON.toISOString(),
      updatedAt: NOON.toISOString(),
      apiKey: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(created.headers.location).toBe(`/admin/v1/companies/${created.body.companyId}`);
    expect((await isAccount(app, created.body.companyId, created.body.apiKey)).status).toBe(200);

    const read = await call('GET', `/admin/v1/companies/${created.body.companyId.toLowerCase()}`);
    expect(read.status).toBe(200);
    const { apiKey: _key, ...visible } = created.body;
    expect(read.body).toEqual(visible);
  });

  it('creates an MD5 company with the default time zone UTC', async () => {
    const { app, call } = await buildAdminApp();
    const created = await call('POST', '/admin/v1/companies', { name: 'Old Systems', hash: 'md5' });
    expect(created.body).toMatchObject({ hash: 'md5', timezone: 'UTC' });
    expect((await isAccount(app, created.body.companyId, created.body.apiKey, 'md5')).status).toBe(200);
  });

  it('lists the companies without their keys', async () => {
    const { store, call } = await buildAdminApp();
    const first = await makeCompany(store, { name: 'First' });
    const second = await makeCompany(store, { name: 'Second' });
    const list = await call('GET', '/admin/v1/companies');
    expect(list.status).toBe(200);
    expect(list.body.companies.map((company: { companyId: string }) => company.companyId).sort()).toEqual(
      [first.companyId, second.companyId].sort(),
    );
    expect(JSON.stringify(list.body)).not.toContain(first.apiKey);
  });

  it('updates name, hash and time zone; a new hash changes the tokens at once', async () => {
    const { app, store, call } = await buildAdminApp();
    const company = await makeCompany(store, { name: 'Before' });
    const updated = await call('PATCH', `/admin/v1/companies/${company.companyId}`, {
      name: 'After',
      hash: 'md5',
      timezone: 'America/New_York',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: 'After', hash: 'md5', timezone: 'America/New_York' });
    expect((await isAccount(app, company.companyId, company.apiKey, 'sha256')).status).toBe(403);
    expect((await isAccount(app, company.companyId, company.apiKey, 'md5')).status).toBe(200);

    const partial = await call('PATCH', `/admin/v1/companies/${company.companyId}`, { name: 'Only the name' });
    expect(partial.body).toMatchObject({ name: 'Only the name', hash: 'md5', timezone: 'America/New_York' });
  });

  it('rejects an invalid time zone, hash or name with 400 and changes nothing', async () => {
    const { store, call } = await buildAdminApp();
    const company = await makeCompany(store);
    const before = await snapshot(store);
    const cases: [unknown, string][] = [
      [{ timezone: 'Mars/Olympus' }, 'Invalid time zone Mars/Olympus: use an IANA name such as Europe/Berlin.'],
      [{ hash: 'sha1' }, 'Invalid hash sha1: use sha256 or md5.'],
      [{ name: '   ' }, 'Invalid name: it must not be empty.'],
      [{ name: '' }, 'Invalid request: body property name must not have fewer than 1 characters.'],
      [{ timeZone: 'UTC' }, 'Invalid request: body property timeZone is not allowed.'],
      [{ name: 42 }, 'Invalid request: body property name must be string.'],
    ];
    for (const [body, message] of cases) {
      const answer = await call('PATCH', `/admin/v1/companies/${company.companyId}`, body);
      expect({ body, status: answer.status, answer: answer.body }).toEqual({
        body,
        status: 400,
        answer: errorBody(message),
      });
    }
    const created = await call('POST', '/admin/v1/companies', { name: 'X', timezone: 'Nowhere' });
    expect(created.status).toBe(400);
    const missing = await call('POST', '/admin/v1/companies', { timezone: 'UTC' });
    expect(missing).toMatchObject({ status: 400, body: errorBody('Invalid request: body property name is required.') });
    expect(await snapshot(store)).toEqual(before);
  });

  it('answers 400 to a body that is not JSON or not an object', async () => {
    const { app } = await buildAdminApp();
    const headers = { authorization: 'Bearer operator-token-for-tests-0123456789', 'content-type': 'application/json' };
    const broken = await app.inject({ method: 'POST', url: '/admin/v1/companies', headers, payload: '{"name":' });
    expect({ status: broken.statusCode, body: broken.json() }).toEqual({
      status: 400,
      body: errorBody('The request body is not valid JSON.'),
    });
    const array = await app.inject({ method: 'POST', url: '/admin/v1/companies', headers, payload: '["x"]' });
    expect({ status: array.statusCode, body: array.json() }).toEqual({
      status: 400,
      body: errorBody('Invalid request: the body must be object.'),
    });
  });

  it('answers 404 for an unknown company', async () => {
    const { call } = await buildAdminApp();
    for (const [method, url, body] of [
      ['GET', `/admin/v1/companies/${UNKNOWN_ID}`, undefined],
      ['PATCH', `/admin/v1/companies/${UNKNOWN_ID}`, { name: 'X' }],
      ['POST', `/admin/v1/companies/${UNKNOWN_ID}/rotate-key`, undefined],
      ['GET', '/admin/v1/companies/not-an-id', undefined],
    ] as const) {
      const answer = await call(method, url, body);
      expect({ url, status: answer.status, body: answer.body }).toEqual({
        url,
        status: 404,
        body: errorBody(`No company ${url.split('/')[4]}.`),
      });
    }
  });

  it('rotates the key: the new key works, tokens of the old one stop at once', async () => {
    const { app, store, call } = await buildAdminApp();
    const company = await makeCompany(store);
    const rotated = await call('POST', `/admin/v1/companies/${company.companyId}/rotate-key`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({
      companyId: company.companyId,
      apiKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      previousKeyValidUntil: null,
    });
    expect(rotated.body.apiKey).not.toBe(company.apiKey);
    expect((await isAccount(app, company.companyId, company.apiKey)).status).toBe(403);
    expect((await isAccount(app, company.companyId, rotated.body.apiKey)).status).toBe(200);
  });

  it('rotates the key with a grace period for the old key, and rejects an invalid one', async () => {
    const { app, store, call } = await buildAdminApp();
    const company = await makeCompany(store);
    const rotated = await call('POST', `/admin/v1/companies/${company.companyId}/rotate-key`, { grace: '24h' });
    expect(rotated.status).toBe(200);
    expect(rotated.body.previousKeyValidUntil).toBe(new Date(NOON.getTime() + 86_400_000).toISOString());
    expect((await isAccount(app, company.companyId, company.apiKey)).status).toBe(200);

    const invalid = await call('POST', `/admin/v1/companies/${company.companyId}/rotate-key`, { grace: 'forever' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/^Invalid grace period forever/);
  });

  it('records every change in the audit trail with actor admin, never with a key', async () => {
    const { store, call } = await buildAdminApp();
    const created = await call('POST', '/admin/v1/companies', { name: 'Audited' });
    const id = created.body.companyId;
    await call('PATCH', `/admin/v1/companies/${id}`, { timezone: 'Asia/Tokyo' });
    const rotated = await call('POST', `/admin/v1/companies/${id}/rotate-key`);
    const audit = await call('GET', `/admin/v1/audit?companyId=${id}`);
    expect(audit.body.entries.map((entry: { action: string; actor: string; subject: string }) => entry)).toMatchObject([
      { action: 'company.rotate-key', actor: 'admin', subject: `company:${id}` },
      { action: 'company.update', actor: 'admin', before: { timezone: 'UTC' }, after: { timezone: 'Asia/Tokyo' } },
      { action: 'company.create', actor: 'admin', after: { name: 'Audited' } },
    ]);
    const trail = JSON.stringify((await snapshot(store)).audit);
    expect(trail).not.toContain(created.body.apiKey);
    expect(trail).not.toContain(rotated.body.apiKey);
  });
});
