import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { setAbsence } from '../../src/service/absence.js';
import { updateAccount } from '../../src/service/accounts.js';
import { addChannelMember } from '../../src/service/channels.js';
import { rotateCompanyKey } from '../../src/service/companies.js';
import { setDoNotDisturb } from '../../src/service/do-not-disturb.js';
import { openStore } from '../../src/store/store.js';
import { testDatabaseLocation } from '../databases.js';
import { makeAccount, makeChannel, makeCompany, TEST_CHANGE } from '../factories.js';
import { CLI } from '../server-process.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'switchboard-transfer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with stdin from a string; returns stdout. */
async function cli(args: string[], input?: string): Promise<string> {
  const child = run(process.execPath, [CLI, ...args], { maxBuffer: 64 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}

/** A dump without its header line (which carries the export time). */
function rows(dump: string): string[] {
  return dump.trim().split('\n').slice(1);
}

async function seed(location: string): Promise<void> {
  const store = await openStore(location);
  try {
    const berlin = await makeCompany(store, { timezone: 'Europe/Berlin' });
    const md5 = await makeCompany(store, { hash: 'md5', name: 'Ünïcødé GmbH' });
    const anna = await makeAccount(store, {
      companyId: berlin.companyId,
      verified: true,
      position: 'Sales',
      phone: '+49 1',
    });
    const ben = await makeAccount(store, { companyId: berlin.companyId, mobile: '+49 2' });
    const carla = await makeAccount(store, { companyId: md5.companyId, locked: true });
    await makeAccount(store, { name: 'No Company' });
    const channel = await makeChannel(store, berlin.companyId, 'Support', [anna.email]);
    await addChannelMember(store.db, channel.channelId, ben.email, TEST_CHANGE);
    const away = { accountEmail: anna.email, awayFrom: '2023-08-01', awayUntil: '2023-08-20', substitution: ben.email };
    await setAbsence(store.db, berlin.companyId, away, TEST_CHANGE);
    await setAbsence(
      store.db,
      berlin.companyId,
      { accountEmail: ben.email, substitutionChannel: channel.channelId },
      TEST_CHANGE,
    );
    await setDoNotDisturb(store.db, berlin.companyId, { accountEmail: ben.email, dnd: true }, TEST_CHANGE);
    await updateAccount(store.db, carla.email, { onlineState: 'AWAY' }, TEST_CHANGE);
    await rotateCompanyKey(store.db, md5.companyId, TEST_CHANGE);
  } finally {
    await store.close();
  }
}

test('export and import move everything between databases, and back, with nothing lost', async () => {
  const source = join(dir, 'source.db');
  await seed(source);
  const first = await cli(['export', '--db', source]);
  expect(first.split('\n')[0]).toMatch(/^\{"type":"switchboard-dump","version":1,/);
  // Every table is in the dump, the audit trail included.
  for (const table of ['companies', 'channels', 'accounts', 'channel_members', 'audit']) {
    expect(first).toContain(`"table":"${table}"`);
  }

  // Through the database under test (PostgreSQL in its run) and back into a new SQLite file.
  const middle = testDatabaseLocation(dir, 'middle.db');
  expect(JSON.parse(await cli(['import', '--db', middle], first)).imported).toEqual({
    companies: 2,
    channels: 1,
    accounts: 4,
    channel_members: 2,
    audit: rows(first).filter((line) => line.includes('"table":"audit"')).length,
  });
  const second = await cli(['export', '--db', middle]);
  const back = join(dir, 'back.db');
  await cli(['import', '--db', back], second);
  const third = await cli(['export', '--db', back]);

  expect(rows(second)).toEqual(rows(first));
  expect(rows(third)).toEqual(rows(first));

  // The imported database keeps working: a new audit entry gets the next id.
  await cli(['company', 'create', '--name', 'After Import', '--db', middle]);
  const audit = JSON.parse(await cli(['audit', '--limit', '1', '--db', middle]));
  const lastImported = Math.max(
    ...rows(first)
      .filter((l) => l.includes('"table":"audit"'))
      .map((l) => JSON.parse(l).row.id),
  );
  expect(audit[0].id).toBe(lastImported + 1);
});

test('import refuses a database that has data, and a broken dump imports nothing', async () => {
  const source = join(dir, 'refuse.db');
  await seed(source);
  const dump = await cli(['export', '--db', source]);
  await expect(cli(['import', '--db', source], dump)).rejects.toMatchObject({
    code: 1,
    stderr: 'switchboard: The target database is not empty: import needs a new database.\n',
  });

  const target = testDatabaseLocation(dir, 'broken.db');
  const broken = `${dump.split('\n').slice(0, 5).join('\n')}\n{not json\n`;
  await expect(cli(['import', '--db', target], broken)).rejects.toMatchObject({
    code: 1,
    stderr: 'switchboard: Line 6 of the dump is not JSON.\n',
  });
  expect(rows(await cli(['export', '--db', target]))).toEqual([]);
});
