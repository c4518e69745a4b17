import { describe, expect, it } from 'vitest';
import { makeAccount, makeCompany } from '../../factories.js';
import { snapshot } from '../../helper.js';
import { buildAdminApp, errorBody } from './admin-client.js';

const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ9';

async function setup() {
  const test = await buildAdminApp();
  const company = await makeCompany(test.store, { name: 'Home Ltd.' });
  const other = await makeCompany(test.store, { name: 'Other Ltd.' });
  return { ...test, company, other };
}

describe('admin accounts', () => {
  it('creates an account (201, Location) with its profile, and reads it by email in any case', async () => {
    const { call, company } = await setup();
    const created = await call('POST', '/admin/v1/accounts', {
      email: ' Anna@Example.com ',
      name: 'Anna Admin',
      companyId: company.companyId,
      position: 'Sales',
      phone: '+49 30 123',
      verified: true,
      onlineState: 'online',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      email: 'Anna@Example.com',
      name: 'Anna Admin',
      companyId: company.companyId,
      talkToMeId: expect.stringMatching(/^[A-Z0-9]{26}$/),
      position: 'Sales',
      phone: '+49 30 123',
      mobile: null,
      avatar: null,
      verified: true,
      locked: false,
      dnd: false,
      onlineState: 'ONLINE',
      awayFrom: null,
      awayUntil: null,
      substitution: null,
      substitutionChannel: null,
    });
    expect(created.headers.location).toBe('/admin/v1/accounts/Anna%40Example.com');
    const read = await call('GET', '/admin/v1/accounts/anna%40example.COM');
    expect({ status: read.status, body: read.body }).toEqual({ status: 200, body: created.body });
  });

  it('creates an account without a company', async () => {
    const { call } = await setup();
    const created = await call('POST', '/admin/v1/accounts', { email: 'free@example.com', name: 'Free' });
    expect(created).toMatchObject({ status: 201, body: { companyId: null, verified: false, locked: false } });
  });

  it('answers 409 to an email that exists already, in any letter case, and changes nothing', async () => {
    const { store, call, company } = await setup();
    await makeAccount(store, { email: 'taken@example.com', companyId: company.companyId });
    const before = await snapshot(store);
    const answer = await call('POST', '/admin/v1/accounts', { email: 'TAKEN@example.com', name: 'Again' });
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 409,
      body: errorBody('An account TAKEN@example.com exists already.'),
    });
    expect(await snapshot(store)).toEqual(before);
  });

  it('answers 400 to an invalid email, online state or field, and 404 to an unknown company', async () => {
    const { store, call } = await setup();
    const before = await snapshot(store);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ email: 'not-an-email', name: 'X' }, 400, 'Invalid email not-an-email.'],
      [
        { email: 'x@example.com', name: 'X', onlineState: 'BUSY' },
        400,
        'Invalid online state BUSY: use ONLINE, AWAY or OFFLINE.',
      ],
      [{ email: 'x@example.com', name: '  ' }, 400, 'Invalid name: it must not be empty.'],
      [{ email: 'x@example.com' }, 400, 'Invalid request: body property name is required.'],
      [
        { email: 'x@example.com', name: 'X', verified: 'yes' },
        400,
        'Invalid request: body property verified must be boolean.',
      ],
      [
        { email: 'x@example.com', name: 'X', company: 'A' },
        400,
        'Invalid request: body property company is not allowed.',
      ],
      [{ email: 'x@example.com', name: 'X', companyId: UNKNOWN_ID }, 404, `No company ${UNKNOWN_ID}.`],
    ];
    for (const [body, status, message] of cases) {
      const answer = await call('POST', '/admin/v1/accounts', body);
      expect({ body, status: answer.status, answer: answer.body }).toEqual({
        body,
        status,
        answer: errorBody(message),
      });
    }
    expect(await snapshot(store)).toEqual(before);
  });

  it('updates the profile; null or an empty string clears an optional field, a missing one stays', async () => {
    const { store, call, company } = await setup();
    await makeAccount(store, {
      email: 'bob@example.com',
      name: 'Bob',
      companyId: company.companyId,
      position: 'Support',
      phone: '+1 555',
      mobile: '+1 666',
    });
    const updated = await call('PATCH', '/admin/v1/accounts/BOB@example.com', {
      name: 'Robert',
      position: null,
      phone: '',
      avatar: 'https://example.com/bob.png',
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      email: 'bob@example.com',
      name: 'Robert',
      position: null,
      phone: null,
      mobile: '+1 666',
      avatar: 'https://example.com/bob.png',
    });
  });

  it('locks and unlocks, verifies and sets the online state', async () => {
    const { store, call, company } = await setup();
    await makeAccount(store, { email: 'carl@example.com', companyId: company.companyId });
    const url = '/admin/v1/accounts/carl@example.com';
    expect((await call('PATCH', url, { locked: true })).body).toMatchObject({ locked: true });
    expect((await call('PATCH', url, { locked: false, verified: true })).body).toMatchObject({
      locked: false,
      verified: true,
    });
    expect((await call('PATCH', url, { onlineState: 'away' })).body).toMatchObject({ onlineState: 'AWAY' });
    const invalid = await call('PATCH', url, { onlineState: 'SLEEPING' });
    expect({ status: invalid.status, body: invalid.body }).toEqual({
      status: 400,
      body: errorBody('Invalid online state SLEEPING: use ONLINE, AWAY or OFFLINE.'),
    });
    expect((await call('GET', url)).body).toMatchObject({ locked: false, verified: true, onlineState: 'AWAY' });
  });

  it('answers 404 for an unknown account', async () => {
    const { call } = await setup();
    for (const [method, body] of [
      ['GET', undefined],
      ['PATCH', { name: 'X' }],
    ] as const) {
      const answer = await call(method, '/admin/v1/accounts/ghost@example.com', body);
      expect({ status: answer.status, body: answer.body }).toEqual({
        status: 404,
        body: errorBody('No account ghost@example.com.'),
      });
    }
  });

  it('lists all accounts or those of one company; an unknown company is 404', async () => {
    const { store, call, company, other } = await setup();
    await makeAccount(store, { email: 'b@home.example', companyId: company.companyId });
    await makeAccount(store, { email: 'a@home.example', companyId: company.companyId });
    await makeAccount(store, { email: 'c@other.example', companyId: other.companyId });
    const emails = (answer: { body: { accounts: { email: string }[] } }) => answer.body.accounts.map((a) => a.email);
    expect(emails(await call('GET', `/admin/v1/accounts?companyId=${company.companyId}`))).toEqual([
      'a@home.example',
      'b@home.example',
    ]);
    expect(emails(await call('GET', '/admin/v1/accounts'))).toEqual([
      'a@home.example',
      'b@home.example',
      'c@other.example',
    ]);
    const unknown = await call('GET', `/admin/v1/accounts?companyId=${UNKNOWN_ID}`);
    expect(unknown.status).toBe(404);
    const typo = await call('GET', `/admin/v1/accounts?company=${company.companyId}`);
    expect(typo).toMatchObject({
      status: 400,
      body: errorBody('Invalid request: query parameter company is not allowed.'),
    });
  });

  it('records creation and changes in the audit trail with actor admin', async () => {
    const { call, company } = await setup();
    await call('POST', '/admin/v1/accounts', { email: 'dora@example.com', name: 'Dora', companyId: company.companyId });
    await call('PATCH', '/admin/v1/accounts/dora@example.com', { locked: true });
    const audit = await call('GET', '/admin/v1/audit?subject=account:dora@example.com');
    expect(audit.body.entries).toMatchObject([
      {
        action: 'account.update',
        actor: 'admin',
        companyId: company.companyId,
        before: { locked: 0 },
        after: { locked: 1 },
      },
      { action: 'account.create', actor: 'admin', companyId: company.companyId, before: null },
    ]);
  });
});
