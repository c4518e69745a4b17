import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { computeAccessToken, utcDay } from '../../src/domain/access-token.js';
import { openStore } from '../../src/store/store.js';
import { TEST_DIALECT, testDatabaseLocation } from '../databases.js';
import { makeAccount, makeCompany } from '../factories.js';
import { CLI, startServer } from '../server-process.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'switchboard-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('backup makes a consistent copy while the server takes writes, and the copy can be restored', async () => {
  const location = testDatabaseLocation(dir);
  const seed = await openStore(location);
  const company = await makeCompany(seed);
  const accounts = [];
  for (let i = 0; i < 5; i++) accounts.push(await makeAccount(seed, { companyId: company.companyId }));
  await seed.close();
  const server = await startServer(location);
  const token = computeAccessToken(company.apiKey, company.companyId, utcDay(Date.now()), company.hash);

  let writing = true;
  let acknowledged = 0;
  const load = (async () => {
    for (let i = 0; writing; i++) {
      const body = new URLSearchParams({
        companyId: company.companyId,
        accountEmail: accounts[i % 5]?.email ?? '',
        dnd: String(i % 2),
      });
      const response = await fetch(`${server.baseUrl}/api/do-not-disturb`, {
        method: 'POST',
        body,
        headers: { authorization: token },
      });
      expect(response.status).toBe(200);
      acknowledged++;
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const before = acknowledged;
  const backup = join(dir, TEST_DIALECT === 'sqlite' ? 'backup.db' : 'backup.jsonl');
  const { stdout } = await run(process.execPath, [CLI, 'backup', backup, '--db', location]);
  writing = false;
  await load;
  server.child.kill('SIGTERM');
  expect(JSON.parse(stdout)).toEqual({ backup, format: TEST_DIALECT === 'sqlite' ? 'sqlite' : 'dump' });
  await expect(run(process.execPath, [CLI, 'backup', backup, '--db', location])).rejects.toMatchObject({
    code: 1,
    stderr: `switchboard: ${backup} exists already: choose a new file.\n`,
  });

  // Restore: SQLite by using the copy as the database, PostgreSQL by importing the dump.
  let restored = backup;
  if (TEST_DIALECT === 'sqlite') {
    const raw = new SQLite(backup, { readonly: true });
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    raw.close();
  } else {
    expect(readFileSync(backup, 'utf8').split('\n')[0]).toContain('"type":"switchboard-dump"');
    restored = join(dir, 'restored.db');
    await run('bash', ['-c', `"${process.execPath}" "${CLI}" import --db "${restored}" < "${backup}"`]);
  }
  const audit = JSON.parse(
    (await run(process.execPath, [CLI, 'audit', '--limit', '10000', '--db', restored])).stdout,
  ) as { action: string }[];
  // Every write answered before the backup began is in it; the copy is one consistent state.
  const writes = audit.filter((entry) => entry.action === 'account.dnd').length;
  expect(writes).toBeGreaterThanOrEqual(before);
  expect(writes).toBeLessThanOrEqual(acknowledged);
  const accountsInCopy = JSON.parse((await run(process.execPath, [CLI, 'account', 'list', '--db', restored])).stdout);
  expect(accountsInCopy).toHaveLength(5);
});
