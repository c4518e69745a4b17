import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test, vi } from 'vitest';
import { computeAccessToken, utcDay } from '../../src/domain/access-token.js';
import { insertCompany } from '../../src/store/repositories/companies.js';
import { openStore } from '../../src/store/store.js';
import { cliActor, cliJson, freshDb, freshDbFile, runCli, TEMP_DIR } from './run-cli.js';

// Every CLI run is a process of its own (~0.3 s, several seconds when the machine is busy).
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

/** The contract's test vectors (CONTRACT.md section 3). */
const VECTOR = {
  apiKey: 'test-api-key',
  companyId: 'JSOM3ACS72QAJ2I1IM1D5VNFGR',
  day: 19_387,
  sha256: 'a3b475e78a654efc8ae3760383b7273c79db7af63b50036ef4b9cfe6ccdc5d27',
  md5: '935a5ecf17e770e3d97d4d265f1d44b6',
};

interface Created {
  companyId: string;
  apiKey: string;
  hash: 'sha256' | 'md5';
}

/** A database holding the contract's test-vector company, whose key the CLI cannot set. */
async function vectorDb(): Promise<string> {
  const db = freshDb();
  const store = await openStore(db);
  try {
    await insertCompany(store.db, {
      id: VECTOR.companyId,
      name: 'Vector Ltd.',
      api_key: VECTOR.apiKey,
      hash: 'sha256',
      timezone: 'UTC',
      created_at: '2023-01-30T00:00:00.000Z',
      updated_at: '2023-01-30T00:00:00.000Z',
    });
  } finally {
    await store.close();
  }
  return db;
}

describe('token', () => {
  test('--day 19387 prints the contract’s SHA-256 test vector, and after update --hash md5 the MD5 one', async () => {
    const db = await vectorDb();
    expect(computeAccessToken(VECTOR.apiKey, VECTOR.companyId, VECTOR.day, 'sha256')).toBe(VECTOR.sha256);
    expect(await runCli(['token', VECTOR.companyId, '--day', '19387'], { db })).toEqual({
      code: 0,
      stdout: `${VECTOR.sha256}\n`,
      stderr: '',
    });
    expect(await runCli(['token', VECTOR.companyId.toLowerCase(), '--day', '19387'], { db })).toEqual({
      code: 0,
      stdout: `${VECTOR.sha256}\n`,
      stderr: '',
    });
    await cliJson(['company', 'update', VECTOR.companyId, '--hash', 'md5'], { db });
    expect(await runCli(['token', VECTOR.companyId, '--day', '19387'], { db })).toEqual({
      code: 0,
      stdout: `${VECTOR.md5}\n`,
      stderr: '',
    });
  });

  test('without --day prints today’s token (UTC day), computed by the contract formula', async () => {
    const db = freshDb();
    for (const hash of ['sha256', 'md5'] as const) {
      const company = await cliJson<Created>(['company', 'create', '--name', `Today ${hash}`, '--hash', hash], { db });
      const before = utcDay(Date.now());
      const result = await runCli(['token', company.companyId], { db });
      const after = utcDay(Date.now());
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const expected = [before, after].map(
        (day) => `${computeAccessToken(company.apiKey, company.companyId, day, hash)}\n`,
      );
      expect(expected).toContain(result.stdout);
      expect(result.stdout).toMatch(hash === 'sha256' ? /^[0-9a-f]{64}\n$/ : /^[0-9a-f]{32}\n$/);
    }
  });

  test('--day N prints the token of that UTC day, for any day', async () => {
    const db = freshDb();
    const company = await cliJson<Created>(['company', 'create', '--name', 'Days'], { db });
    for (const day of [0, 19_579, 30_000]) {
      expect(await runCli(['token', company.companyId, '--day', String(day)], { db })).toEqual({
        code: 0,
        stdout: `${computeAccessToken(company.apiKey, company.companyId, day, 'sha256')}\n`,
        stderr: '',
      });
    }
  });

  test('of an unknown company fails with exit code 1', async () => {
    expect(await runCli(['token', 'NOSUCHCOMPANY', '--day', '19387'], { db: freshDb() })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No company NOSUCHCOMPANY.\n',
    });
  });

  test.each(['abc', '1.5', '12x'])(
    'a non-numeric --day %s fails with exit code 1 and a clear one-line message',
    async (day) => {
      const db = await vectorDb();
      const result = await runCli(['token', VECTOR.companyId, '--day', day], { db });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`--day must be a whole number, not "${day}".`);
      // An error message, not a crash: no stack trace.
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stderr).not.toContain('Node.js v');
    },
  );
});

describe('audit', () => {
  test('lists the CLI’s changes newest first, with actor cli:<user>; --company and --limit filter', async () => {
    const db = freshDb();
    const acme = await cliJson<Created>(['company', 'create', '--name', 'Acme'], { db });
    const other = await cliJson<Created>(['company', 'create', '--name', 'Other'], { db });
    await cliJson(['account', 'create', '--email', 'a@acme.example', '--name', 'A', '--company', acme.companyId], {
      db,
    });
    await cliJson(['account', 'update', 'a@acme.example', '--verified'], { db });
    await cliJson(['account', 'update', 'a@acme.example', '--lock'], { db });
    await cliJson(['company', 'update', acme.companyId, '--timezone', 'Europe/Berlin'], { db });
    const channel = await cliJson<{ channelId: string }>(
      ['channel', 'create', '--company', acme.companyId, '--name', 'Support', '--member', 'a@acme.example'],
      { db },
    );
    await cliJson(['company', 'rotate-key', acme.companyId], { db });

    const all = await runCli(['audit'], { db });
    expect(all).toMatchObject({ code: 0, stderr: '' });
    const entries = JSON.parse(all.stdout) as Record<string, unknown>[];
    expect(entries.map((entry) => [entry.action, entry.companyId, entry.subject])).toEqual([
      ['company.rotate-key', acme.companyId, `company:${acme.companyId}`],
      ['channel.create', acme.companyId, `channel:${channel.channelId}`],
      ['company.update', acme.companyId, `company:${acme.companyId}`],
      ['account.update', acme.companyId, 'account:a@acme.example'],
      ['account.update', acme.companyId, 'account:a@acme.example'],
      ['account.create', acme.companyId, 'account:a@acme.example'],
      ['company.create', other.companyId, `company:${other.companyId}`],
      ['company.create', acme.companyId, `company:${acme.companyId}`],
    ]);
    for (const entry of entries) {
      expect(Object.keys(entry)).toEqual(['id', 'at', 'actor', 'action', 'companyId', 'subject', 'before', 'after']);
      expect(entry.actor).toBe(cliActor());
      expect(String(entry.actor)).toMatch(/^cli:/);
      expect(entry.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    const ids = entries.map((entry) => entry.id as number);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(entries[2]).toMatchObject({ before: { timezone: 'UTC' }, after: { timezone: 'Europe/Berlin' } });
    expect(entries[3]).toMatchObject({ before: { locked: 0 }, after: { locked: 1 } });
    expect(entries[4]).toMatchObject({ before: { verified: 0 }, after: { verified: 1 } });
    // The API key appears in no entry.
    expect(all.stdout).not.toContain(acme.apiKey);
    expect(all.stdout).not.toContain(other.apiKey);

    const limited = await cliJson<Record<string, unknown>[]>(['audit', '--limit', '2'], { db });
    expect(limited).toEqual(entries.slice(0, 2));

    const ofOther = await cliJson<Record<string, unknown>[]>(['audit', '--company', other.companyId], { db });
    expect(ofOther).toEqual([entries[6]]);
  });

  test('of an empty database prints []', async () => {
    expect(await runCli(['audit'], { db: freshDb() })).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  test('of an unknown company fails with exit code 1', async () => {
    expect(await runCli(['audit', '--company', 'NOPE'], { db: freshDb() })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No company NOPE.\n',
    });
  });

  test('a non-numeric --limit fails with exit code 1 and a clear one-line message', async () => {
    const result = await runCli(['audit', '--limit', 'many'], { db: freshDb() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--limit must be a whole number, not "many".');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});

describe('the database location', () => {
  test('SWITCHBOARD_DB is used without --db; --db wins over it', async () => {
    const fromEnv = freshDbFile();
    const fromFlag = freshDbFile();
    const created = await cliJson<Created>(['company', 'create', '--name', 'In env db'], {
      db: false,
      env: { SWITCHBOARD_DB: fromEnv },
    });
    expect(existsSync(fromEnv)).toBe(true);
    expect(existsSync(fromFlag)).toBe(false);
    // Read back through the environment and through --db with the same file.
    expect(
      await cliJson(['company', 'show', created.companyId], { db: false, env: { SWITCHBOARD_DB: fromEnv } }),
    ).toMatchObject({ companyId: created.companyId, name: 'In env db' });
    expect(await cliJson(['company', 'show', created.companyId], { db: fromEnv })).toMatchObject({
      companyId: created.companyId,
    });
    // --db names another file: the environment's company is not there.
    expect(await runCli(['company', 'list'], { db: fromFlag, env: { SWITCHBOARD_DB: fromEnv } })).toEqual({
      code: 0,
      stdout: '[]\n',
      stderr: '',
    });
    await cliJson(['company', 'create', '--name', 'In flag db'], { db: fromFlag, env: { SWITCHBOARD_DB: fromEnv } });
    const inEnv = await cliJson<{ name: string }[]>(['company', 'list'], {
      db: false,
      env: { SWITCHBOARD_DB: fromEnv },
    });
    expect(inEnv.map((company) => company.name)).toEqual(['In env db']);
    const inFlag = await cliJson<{ name: string }[]>(['company', 'list'], { db: fromFlag });
    expect(inFlag.map((company) => company.name)).toEqual(['In flag db']);
  });

  test('without either, the database is ./data/switchboard.db in the working directory', async () => {
    const cwd = join(TEMP_DIR, 'default-location');
    mkdirSync(cwd);
    await cliJson(['company', 'create', '--name', 'Default'], { db: false, cwd });
    expect(existsSync(join(cwd, 'data', 'switchboard.db'))).toBe(true);
    const list = await cliJson<{ name: string }[]>(['company', 'list'], { db: false, cwd });
    expect(list.map((company) => company.name)).toEqual(['Default']);
  });

  test('--db may come before the command’s arguments', async () => {
    const db = freshDb();
    const created = await cliJson<Created>(['company', 'create', '--db', db, '--name', 'Early'], { db: false });
    expect(await cliJson(['company', 'show', '--db', db, created.companyId], { db: false })).toMatchObject({
      companyId: created.companyId,
      name: 'Early',
    });
  });
});

describe('unknown commands', () => {
  test('an unknown command fails with exit code 1 on stderr', async () => {
    const result = await runCli(['frobnicate'], { db: false });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("unknown command 'frobnicate'");
  });
});
