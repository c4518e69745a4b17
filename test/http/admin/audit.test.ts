import { describe, expect, it } from 'vitest';
import { recordAudit } from '../../../src/store/repositories/audit.js';
import { makeAccount, makeCompany } from '../../factories.js';
import { type AdminAnswer, buildAdminApp, errorBody } from './admin-client.js';

interface Entry {
  id: number;
  at: string;
  actor: string;
  action: string;
  companyId: string | null;
  subject: string;
}

const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ9';

/** Every page of a query, following nextCursor; fails if a page repeats. */
async function allPages(call: (method: 'GET', url: string) => Promise<AdminAnswer>, query: string) {
  const pages: Entry[][] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/admin/v1/audit?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await call('GET', url);
    expect(answer.status).toBe(200);
    pages.push(answer.body.entries);
    expect(answer.body.nextCursor).not.toBe(cursor);
    cursor = answer.body.nextCursor;
    expect(pages.length).toBeLessThan(100);
  } while (cursor !== null);
  return pages;
}

describe('admin audit trail', () => {
  it('pages through every entry, newest first, with no duplicates and no gaps', async () => {
    const { store, call } = await buildAdminApp();
    const company = await makeCompany(store);
    for (let i = 0; i < 21; i++) await makeAccount(store, { companyId: company.companyId });
    const everything = await call('GET', '/admin/v1/audit?limit=1000');
    expect(everything.body.nextCursor).toBeNull();
    const all: Entry[] = everything.body.entries;
    expect(all).toHaveLength(22);
    expect(all.map((entry) => entry.id)).toEqual([...all.map((entry) => entry.id)].sort((a, b) => b - a));

    const pages = await allPages(call, 'limit=5');
    expect(pages.map((page) => page.length)).toEqual([5, 5, 5, 5, 2]);
    expect(pages.flat()).toEqual(all);
  });

  it('ends with a null cursor when the last page is exactly full', async () => {
    const { store, call } = await buildAdminApp();
    for (let i = 0; i < 4; i++) await makeCompany(store);
    const pages = await allPages(call, 'limit=2');
    expect(pages.map((page) => page.length)).toEqual([2, 2]);
  });

  it('keeps later pages stable while new entries are recorded', async () => {
    const { store, call } = await buildAdminApp();
    for (let i = 0; i < 6; i++) await makeCompany(store);
    const first = await call('GET', '/admin/v1/audit?limit=3');
    await call('POST', '/admin/v1/companies', { name: 'Meanwhile' });
    const second = await call('GET', `/admin/v1/audit?limit=3&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.entries, ...second.body.entries].map((entry: Entry) => entry.id);
    expect(new Set(ids).size).toBe(6);
    expect(second.body.entries.map((entry: Entry) => entry.id)).toEqual([3, 2, 1]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('filters by company, action, actor and subject, also across pages', async () => {
    const { store, call } = await buildAdminApp();
    const home = await makeCompany(store);
    const other = await makeCompany(store);
    for (let i = 0; i < 5; i++) await makeAccount(store, { companyId: home.companyId });
    await makeAccount(store, { companyId: other.companyId, email: 'erin@other.example' });
    await call('PATCH', '/admin/v1/accounts/erin@other.example', { verified: true });
    await call('PATCH', `/admin/v1/companies/${home.companyId}`, { name: 'Renamed' });

    const ofHome = (await allPages(call, `companyId=${home.companyId.toLowerCase()}&limit=2`)).flat();
    expect(ofHome).toHaveLength(7);
    expect(ofHome.every((entry) => entry.companyId === home.companyId)).toBe(true);

    const creations = (await allPages(call, 'action=account.create&limit=4')).flat();
    expect(creations).toHaveLength(6);
    expect(creations.every((entry) => entry.action === 'account.create')).toBe(true);

    const byAdmin = (await call('GET', '/admin/v1/audit?actor=admin')).body.entries as Entry[];
    expect(byAdmin.map((entry) => entry.action)).toEqual(['company.update', 'account.update']);

    const erin = (await call('GET', '/admin/v1/audit?subject=account:erin@other.example')).body.entries as Entry[];
    expect(erin.map((entry) => entry.action)).toEqual(['account.update', 'account.create']);

    const combined = await call('GET', `/admin/v1/audit?companyId=${other.companyId}&actor=test&action=account.create`);
    expect(combined.body.entries).toHaveLength(1);
    expect(combined.body.entries[0]).toMatchObject({ subject: 'account:erin@other.example', actor: 'test' });
  });

  it('filters by time: since is inclusive, until exclusive; a date means midnight UTC', async () => {
    const { store, call } = await buildAdminApp();
    const at = [
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T23:59:59.999Z',
      '2026-01-02T00:00:00.000Z',
      '2026-01-03T10:00:00.000Z',
    ];
    for (const [i, time] of at.entries()) {
      await recordAudit(store.db, {
        at: time,
        actor: 'test',
        action: 'test.tick',
        companyId: null,
        subject: `tick:${i}`,
        before: null,
        after: null,
      });
    }
    const subjects = async (query: string) => {
      const answer = await call('GET', `/admin/v1/audit?${query}`);
      expect(answer.status).toBe(200);
      return (answer.body.entries as Entry[]).map((entry) => entry.subject).reverse();
    };
    expect(await subjects('since=2026-01-01&until=2026-01-02')).toEqual(['tick:0', 'tick:1']);
    expect(await subjects('since=2026-01-02')).toEqual(['tick:2', 'tick:3']);
    expect(await subjects('until=2026-01-02T00:00:00Z')).toEqual(['tick:0', 'tick:1']);
    expect(await subjects('since=2026-01-02T01:00:00%2B02:00')).toEqual(['tick:1', 'tick:2', 'tick:3']);
    expect(await subjects('since=2026-01-01T23:59:59.999Z&until=2026-01-03')).toEqual(['tick:1', 'tick:2']);
  });

  it('answers 400 to an invalid cursor, time or limit and 404 to an unknown company', async () => {
    const { call } = await buildAdminApp();
    const forged = Buffer.from('audit:-3').toString('base64url');
    const cases: [string, number, string][] = [
      ['cursor=garbage', 400, 'Invalid cursor: pass the nextCursor of a previous page.'],
      [`cursor=${forged}`, 400, 'Invalid cursor: pass the nextCursor of a previous page.'],
      [
        'since=yesterday',
        400,
        'Invalid since yesterday: use YYYY-MM-DD or an ISO 8601 date-time such as 2026-11-25T08:00:00Z.',
      ],
      [
        'until=2026-02-30',
        400,
        'Invalid until 2026-02-30: use YYYY-MM-DD or an ISO 8601 date-time such as 2026-11-25T08:00:00Z.',
      ],
      ['limit=0', 400, 'Invalid request: query parameter limit must be >= 1.'],
      ['limit=ten', 400, 'Invalid request: query parameter limit must be integer.'],
      ['page=2', 400, 'Invalid request: query parameter page is not allowed.'],
      [`companyId=${UNKNOWN_ID}`, 404, `No company ${UNKNOWN_ID}.`],
    ];
    for (const [query, status, message] of cases) {
      const answer = await call('GET', `/admin/v1/audit?${query}`);
      expect({ query, status: answer.status, body: answer.body }).toEqual({ query, status, body: errorBody(message) });
    }
  });
});
