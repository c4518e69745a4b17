import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import { computeAccessToken, utcDay } from '../../src/domain/access-token.js';
import { getAccount } from '../../src/service/accounts.js';
import { parsePostgresUrl } from '../../src/store/dialect/postgres.js';
import { openStore } from '../../src/store/store.js';
import { TEST_DIALECT, testDatabaseLocation } from '../databases.js';
import { makeAccount, makeCompany } from '../factories.js';
import { startServer } from '../server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Holds the account's row (PostgreSQL) or the write lock (SQLite) until released: writes to it wait. */
async function holdLock(location: string, accountId: string): Promise<() => Promise<void>> {
  if (TEST_DIALECT === 'sqlite') {
    const raw = new SQLite(location);
    raw.exec('begin immediate');
    return async () => {
      raw.exec('commit');
      raw.close();
    };
  }
  const { connectionString, schema } = parsePostgresUrl(location);
  const client = new pg.Client({ connectionString, options: `-c search_path=${schema}` });
  await client.connect();
  await client.query('begin');
  await client.query('select id from accounts where id = $1 for update', [accountId]);
  return async () => {
    await client.query('commit');
    await client.end();
  };
}

test('SIGTERM stops accepting, finishes the request in flight, closes the database and exits 0', async () => {
  const location = testDatabaseLocation(dir);
  const seed = await openStore(location);
  const company = await makeCompany(seed);
  const account = await makeAccount(seed, { companyId: company.companyId });
  const { id } = await seed.db
    .selectFrom('accounts')
    .select('id')
    .where('email', '=', account.email)
    .executeTakeFirstOrThrow();
  await seed.close();
  const server = await startServer(location);
  const token = computeAccessToken(company.apiKey, company.companyId, utcDay(Date.now()), company.hash);

  // The write is received, then waits for the lock: it is in flight when SIGTERM comes.
  const release = await holdLock(location, id);
  const body = new URLSearchParams({
    companyId: company.companyId,
    accountEmail: account.email,
    awayFrom: '2050-05-05',
  });
  const inFlight = fetch(`${server.baseUrl}/api/out-of-office`, {
    method: 'POST',
    body,
    headers: { authorization: token },
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  server.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 300));
  if (TEST_DIALECT === 'postgres') {
    // The server no longer accepts connections while it drains (SQLite's waiting writer blocks the
    // process until the lock is released, so there nothing can be observed in between).
    await expect(fetch(`${server.baseUrl}/api/person-info?talkToMeId=${account.talkToMeId}`)).rejects.toThrow();
  }
  await release();

  const response = await inFlight;
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ success: true, error: false, message: 'The changes have been saved' });
  const [code] = (await once(server.child, 'exit')) as [number | null];
  expect(code, server.output()).toBe(0);
  await expect(fetch(`${server.baseUrl}/api/person-info?talkToMeId=${account.talkToMeId}`)).rejects.toThrow();

  const check = await openStore(location);
  try {
    expect((await getAccount(check.db, account.email)).awayFrom).toBe('2050-05-05');
  } finally {
    await check.close();
  }
});
