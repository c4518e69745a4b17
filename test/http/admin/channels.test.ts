import { describe, expect, it } from 'vitest';
import { makeAccount, makeChannel, makeCompany } from '../../factories.js';
import { snapshot } from '../../helper.js';
import { buildAdminApp, errorBody } from './admin-client.js';

const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ9';

async function setup() {
  const test = await buildAdminApp();
  const company = await makeCompany(test.store, { name: 'Home Ltd.' });
  const other = await makeCompany(test.store, { name: 'Other Ltd.' });
  await makeAccount(test.store, { email: 'anna@home.example', companyId: company.companyId });
  await makeAccount(test.store, { email: 'ben@home.example', companyId: company.companyId });
  await makeAccount(test.store, { email: 'erin@other.example', companyId: other.companyId });
  return { ...test, company, other };
}

describe('admin channels', () => {
  it('creates a channel with members (201, Location) and reads it', async () => {
    const { call, company } = await setup();
    const created = await call('POST', '/admin/v1/channels', {
      companyId: company.companyId,
      name: 'Support',
      members: ['BEN@home.example', 'anna@home.example'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      channelId: expect.stringMatching(/^[A-Z0-9]{26}$/),
      companyId: company.companyId,
      name: 'Support',
      members: ['anna@home.example', 'ben@home.example'],
    });
    expect(created.headers.location).toBe(`/admin/v1/channels/${created.body.channelId}`);
    const read = await call('GET', `/admin/v1/channels/${created.body.channelId}`);
    expect({ status: read.status, body: read.body }).toEqual({ status: 200, body: created.body });
  });

  it('refuses a member of another company (400), an unknown member or company (404), a missing name (400)', async () => {
    const { store, call, company } = await setup();
    const before = await snapshot(store);
    const cases: [Record<string, unknown>, number, string][] = [
      [
        { companyId: company.companyId, name: 'Mixed', members: ['erin@other.example'] },
        400,
        'Invalid member erin@other.example: the account belongs to another company.',
      ],
      [
        { companyId: company.companyId, name: 'Ghosts', members: ['ghost@home.example'] },
        404,
        'No account ghost@home.example.',
      ],
      [{ companyId: UNKNOWN_ID, name: 'Nowhere' }, 404, `No company ${UNKNOWN_ID}.`],
      [{ companyId: company.companyId }, 400, 'Invalid request: body property name is required.'],
      [
        { companyId: company.companyId, name: 'X', members: 'anna@home.example' },
        400,
        'Invalid request: body property members must be array.',
      ],
    ];
    for (const [body, status, message] of cases) {
      const answer = await call('POST', '/admin/v1/channels', body);
      expect({ body, status: answer.status, answer: answer.body }).toEqual({
        body,
        status,
        answer: errorBody(message),
      });
    }
    expect(await snapshot(store)).toEqual(before);
  });

  it("lists a company's channels; companyId is required", async () => {
    const { store, call, company, other } = await setup();
    const b = await makeChannel(store, company.companyId, 'B channel', ['anna@home.example']);
    const a = await makeChannel(store, company.companyId, 'A channel');
    await makeChannel(store, other.companyId, 'Foreign');
    const list = await call('GET', `/admin/v1/channels?companyId=${company.companyId}`);
    expect(list).toMatchObject({ status: 200, body: { channels: [a, b] } });
    const missing = await call('GET', '/admin/v1/channels');
    expect(missing).toMatchObject({
      status: 400,
      body: errorBody('Invalid request: query parameter companyId is required.'),
    });
    expect((await call('GET', `/admin/v1/channels?companyId=${UNKNOWN_ID}`)).status).toBe(404);
  });

  it('adds a member (PUT, idempotent) and removes one (DELETE, 204)', async () => {
    const { store, call, company } = await setup();
    const channel = await makeChannel(store, company.companyId, 'Sales', ['anna@home.example']);
    const url = `/admin/v1/channels/${channel.channelId}/members`;
    const added = await call('PUT', `${url}/ben%40home.example`);
    expect(added).toMatchObject({ status: 200, body: { members: ['anna@home.example', 'ben@home.example'] } });
    const again = await call('PUT', `${url}/BEN@home.example`);
    expect(again.body.members).toEqual(['anna@home.example', 'ben@home.example']);
    const removed = await call('DELETE', `${url}/anna@home.example`);
    expect({ status: removed.status, body: removed.body }).toEqual({ status: 204, body: undefined });
    expect((await call('GET', `/admin/v1/channels/${channel.channelId}`)).body.members).toEqual(['ben@home.example']);
  });

  it('answers 404 for an unknown channel or account, 400 for an account of another company', async () => {
    const { store, call, company } = await setup();
    const channel = await makeChannel(store, company.companyId, 'Sales');
    const cases: [string, string, number, string][] = [
      ['GET', `/admin/v1/channels/${UNKNOWN_ID}`, 404, `No channel ${UNKNOWN_ID}.`],
      ['PUT', `/admin/v1/channels/${UNKNOWN_ID}/members/anna@home.example`, 404, `No channel ${UNKNOWN_ID}.`],
      ['DELETE', `/admin/v1/channels/${UNKNOWN_ID}/members/anna@home.example`, 404, `No channel ${UNKNOWN_ID}.`],
      [
        'PUT',
        `/admin/v1/channels/${channel.channelId}/members/ghost@home.example`,
        404,
        'No account ghost@home.example.',
      ],
      [
        'PUT',
        `/admin/v1/channels/${channel.channelId}/members/erin@other.example`,
        400,
        'Invalid member erin@other.example: the account belongs to another company.',
      ],
    ];
    for (const [method, url, status, message] of cases) {
      const answer = await call(method as 'GET', url);
      expect({ url, status: answer.status, body: answer.body }).toEqual({ url, status, body: errorBody(message) });
    }
  });

  it('records creation and membership changes in the audit trail with actor admin', async () => {
    const { call, company } = await setup();
    const created = await call('POST', '/admin/v1/channels', { companyId: company.companyId, name: 'Audited' });
    const id = created.body.channelId;
    await call('PUT', `/admin/v1/channels/${id}/members/anna@home.example`);
    await call('DELETE', `/admin/v1/channels/${id}/members/anna@home.example`);
    const audit = await call('GET', `/admin/v1/audit?subject=channel:${id}`);
    expect(audit.body.entries).toMatchObject([
      {
        action: 'channel.member.remove',
        actor: 'admin',
        before: { members: ['anna@home.example'] },
        after: { members: [] },
      },
      {
        action: 'channel.member.add',
        actor: 'admin',
        before: { members: [] },
        after: { members: ['anna@home.example'] },
      },
      { action: 'channel.create', actor: 'admin', companyId: company.companyId },
    ]);
  });
});
