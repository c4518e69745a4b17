import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { computeAccessToken, utcDay } from '../../src/domain/access-token.js';
import { recentAudit } from '../../src/service/audit.js';
import { openStore } from '../../src/store/store.js';
import { testDatabaseLocation } from '../databases.js';
import { makeAccount, makeCompany } from '../factories.js';
import { CLI, type ServerProcess, startServer } from '../server-process.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'switchboard-instances-'));
const servers: ServerProcess[] = [];
afterAll(() => {
  for (const server of servers) server.child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const today = () => utcDay(Date.now());

async function post(server: ServerProcess, path: string, token: string, params: Record<string, string>) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: response.status, body: await response.json() };
}

test('two server processes on one database see each other’s writes at once and never lose one', async () => {
  const location = testDatabaseLocation(dir);
  const seed = await openStore(location);
  const company = await makeCompany(seed, { timezone: 'Europe/Berlin' });
  const [anna, ben, carla] = [
    await makeAccount(seed, { companyId: company.companyId, name: 'Anna' }),
    await makeAccount(seed, { companyId: company.companyId, name: 'Ben' }),
    await makeAccount(seed, { companyId: company.companyId, name: 'Carla' }),
  ];
  await seed.close();
  const [one, two] = [await startServer(location), await startServer(location)];
  servers.push(one, two);
  let token = computeAccessToken(company.apiKey, company.companyId, today(), company.hash);
  const personInfo = async (server: ServerProcess) =>
    (await fetch(`${server.baseUrl}/api/person-info?talkToMeId=${anna.talkToMeId}`)).json();

  // An absence written through one is read through the other.
  const far = { awayFrom: '2099-01-01', awayUntil: '2099-01-31' };
  expect(
    (
      await post(one, '/api/out-of-office', token, {
        companyId: company.companyId,
        accountEmail: anna.email,
        ...far,
        substitution: ben.email,
      })
    ).status,
  ).toBe(200);
  expect(await personInfo(two)).toMatchObject({ awayFrom: '2099-01-01', substitution: 'Ben' });

  // Do-not-disturb set through one is the state the other changes next (its audit `before`).
  expect(
    (await post(one, '/api/do-not-disturb', token, { companyId: company.companyId, accountEmail: ben.email })).status,
  ).toBe(200);
  expect(
    (
      await post(two, '/api/do-not-disturb', token, {
        companyId: company.companyId,
        accountEmail: ben.email,
        dnd: 'false',
      })
    ).status,
  ).toBe(200);

  // A channel created with the CLI is usable through both servers at once.
  const channel = JSON.parse(
    (
      await run(process.execPath, [
        CLI,
        'channel',
        'create',
        '--db',
        location,
        '--company',
        company.companyId,
        '--name',
        'Night shift',
      ])
    ).stdout,
  );
  const viaChannel = {
    companyId: company.companyId,
    accountEmail: anna.email,
    ...far,
    substitutionChannel: channel.channelId,
  };
  expect((await post(two, '/api/out-of-office', token, viaChannel)).status).toBe(200);
  expect(await personInfo(one)).toMatchObject({ substitution: 'Night shift' });

  // A key rotated with the CLI: the old token fails on both servers' very next request.
  const rotated = JSON.parse(
    (await run(process.execPath, [CLI, 'company', 'rotate-key', company.companyId, '--db', location])).stdout,
  );
  for (const server of [one, two]) {
    expect(
      (await post(server, '/api/do-not-disturb', token, { companyId: company.companyId, accountEmail: carla.email }))
        .status,
    ).toBe(403);
  }
  token = computeAccessToken(rotated.apiKey, company.companyId, today(), company.hash);
  for (const server of [one, two]) {
    expect(
      (await post(server, '/api/do-not-disturb', token, { companyId: company.companyId, accountEmail: carla.email }))
        .status,
    ).toBe(200);
  }

  // Concurrent writes to one account through both: every one answered 200, and the audit trail is a
  // complete chain (each write's `before` is the previous write's `after`), ending in the row's state.
  const writes = Array.from({ length: 40 }, (_, i) => ({
    companyId: company.companyId,
    accountEmail: carla.email,
    awayFrom: `2099-02-${String((i % 28) + 1).padStart(2, '0')}`,
    awayUntil: `2099-03-${String((i % 28) + 1).padStart(2, '0')}`,
    substitution: i % 2 === 0 ? anna.email : ben.email,
  }));
  const answers = await Promise.all(
    writes.map((write, i) => post(i % 2 === 0 ? one : two, '/api/out-of-office', token, write)),
  );
  expect(answers.map((answer) => answer.status)).toEqual(writes.map(() => 200));

  const check = await openStore(location);
  try {
    const audit = (await recentAudit(check.db, { companyId: company.companyId, limit: 1_000 })).reverse();
    const dndChanges = audit.filter(
      (entry) => entry.action === 'account.dnd' && entry.subject === `account:${ben.email}`,
    );
    expect(dndChanges.map((entry) => [entry.before, entry.after])).toEqual([
      [{ dnd: false }, { dnd: true }],
      [{ dnd: true }, { dnd: false }],
    ]);
    const chain = audit.filter(
      (entry) => entry.action === 'account.absence' && entry.subject === `account:${carla.email}`,
    );
    expect(chain).toHaveLength(writes.length);
    for (let i = 1; i < chain.length; i++) expect(chain[i]?.before).toEqual(chain[i - 1]?.after);
    const row = await check.db
      .selectFrom('accounts')
      .selectAll()
      .where('id', '=', await idOf(check, carla.email))
      .executeTakeFirstOrThrow();
    expect(chain.at(-1)?.after).toEqual({
      away_from: row.away_from,
      away_until: row.away_until,
      substitute_account_id: row.substitute_account_id,
      substitute_channel_id: row.substitute_channel_id,
    });
  } finally {
    await check.close();
  }
});

async function idOf(store: Awaited<ReturnType<typeof openStore>>, email: string): Promise<string> {
  return (
    await store.db
      .selectFrom('accounts')
      .select('id')
      .where('email_key', '=', email.toLowerCase())
      .executeTakeFirstOrThrow()
  ).id;
}

test('serve --workers 2 answers from two processes, takes concurrent writes, and stops on SIGTERM', async () => {
  const location = testDatabaseLocation(dir, 'workers.db');
  const seed = await openStore(location);
  const company = await makeCompany(seed);
  const accounts: { email: string }[] = [];
  for (let i = 0; i < 10; i++) accounts.push(await makeAccount(seed, { companyId: company.companyId }));
  await seed.close();
  const server = await startServer(location, {}, ['--workers', '2']);
  servers.push(server);
  // Both workers report that they listen.
  const deadline = Date.now() + 10_000;
  while (server.output().split('Server listening').length < 3 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(server.output().split('Server listening').length - 1).toBe(2);

  const token = computeAccessToken(company.apiKey, company.companyId, today(), company.hash);
  const answers = await Promise.all(
    Array.from({ length: 60 }, (_, i) =>
      post(server, '/api/do-not-disturb', token, {
        companyId: company.companyId,
        accountEmail: accounts[i % accounts.length]?.email ?? '',
        dnd: i % 3 === 0 ? 'true' : 'false',
      }),
    ),
  );
  expect(answers.filter((answer) => answer.status !== 200)).toEqual([]);

  server.child.kill('SIGTERM');
  const [code] = (await once(server.child, 'exit')) as [number | null];
  expect(code).toBe(0);
  const check = await openStore(location);
  try {
    expect(await recentAudit(check.db, { companyId: company.companyId, limit: 1_000 })).toHaveLength(60 + 10 + 1);
  } finally {
    await check.close();
  }
});
