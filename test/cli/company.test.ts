import { describe, expect, test, vi } from 'vitest';
import { computeAccessToken, utcDay } from '../../src/domain/access-token.js';
import { cliActor, cliJson, freshDb, runCli } from './run-cli.js';

// Every CLI run is a process of its own (~0.3 s, several seconds when the machine is busy).
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const ID = /^[A-Z0-9]{26}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SHOWN_KEYS = ['companyId', 'name', 'hash', 'timezone', 'createdAt', 'updatedAt'];

interface Created {
  companyId: string;
  name: string;
  apiKey: string;
  hash: string;
  timezone: string;
}

describe('company create', () => {
  test('prints exactly companyId, name, apiKey, hash and timezone, with the defaults sha256 and UTC', async () => {
    const db = freshDb();
    const result = await runCli(['company', 'create', '--name', 'Acme Ltd.'], { db });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.endsWith('}\n')).toBe(true);
    const json = JSON.parse(result.stdout) as Created;
    expect(Object.keys(json)).toEqual(['companyId', 'name', 'apiKey', 'hash', 'timezone']);
    expect(json).toEqual({
      companyId: expect.stringMatching(ID),
      name: 'Acme Ltd.',
      apiKey: expect.any(String),
      hash: 'sha256',
      timezone: 'UTC',
    });
    // At least 32 bytes of entropy: 64 hex characters or 43 of base64.
    expect(json.apiKey.length).toBeGreaterThanOrEqual(43);
  });

  test('takes --hash md5 and --timezone, and trims the name', async () => {
    const db = freshDb();
    const json = await cliJson<Created>(
      ['company', 'create', '--name', '  Berlin GmbH ', '--hash', 'md5', '--timezone', 'Europe/Berlin'],
      { db },
    );
    expect(json).toEqual({
      companyId: expect.stringMatching(ID),
      name: 'Berlin GmbH',
      apiKey: expect.any(String),
      hash: 'md5',
      timezone: 'Europe/Berlin',
    });
  });

  test('two companies get different identifiers and keys', async () => {
    const db = freshDb();
    const one = await cliJson<Created>(['company', 'create', '--name', 'One'], { db });
    const two = await cliJson<Created>(['company', 'create', '--name', 'Two'], { db });
    expect(two.companyId).not.toBe(one.companyId);
    expect(two.apiKey).not.toBe(one.apiKey);
  });

  test.each([
    [['--hash', 'sha1'], 'switchboard: Invalid hash sha1: use sha256 or md5.\n'],
    [
      ['--timezone', 'Mars/Olympus'],
      'switchboard: Invalid time zone Mars/Olympus: use an IANA name such as Europe/Berlin.\n',
    ],
  ])('refuses %j with exit code 1 and creates nothing', async (extra, message) => {
    const db = freshDb();
    const result = await runCli(['company', 'create', '--name', 'Bad', ...extra], { db });
    expect(result).toEqual({ code: 1, stdout: '', stderr: message });
    expect(await cliJson(['company', 'list'], { db })).toEqual([]);
  });

  test('refuses an empty name', async () => {
    const result = await runCli(['company', 'create', '--name', '  '], { db: freshDb() });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'switchboard: Invalid name: it must not be empty.\n' });
  });

  test('requires --name', async () => {
    const result = await runCli(['company', 'create'], { db: freshDb() });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain("required option '--name <name>' not specified");
  });
});

describe('company list and show', () => {
  test('list prints every company without its API key', async () => {
    const db = freshDb();
    expect(await runCli(['company', 'list'], { db })).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
    const one = await cliJson<Created>(['company', 'create', '--name', 'One'], { db });
    const two = await cliJson<Created>(['company', 'create', '--name', 'Two', '--hash', 'md5'], { db });
    const result = await runCli(['company', 'list'], { db });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).not.toContain(one.apiKey);
    expect(result.stdout).not.toContain(two.apiKey);
    expect(result.stdout).not.toMatch(/apiKey|api_key/);
    const list = JSON.parse(result.stdout) as Record<string, unknown>[];
    expect(list).toHaveLength(2);
    for (const company of list) expect(Object.keys(company)).toEqual(SHOWN_KEYS);
    const byId = new Map(list.map((company) => [company.companyId, company]));
    expect(byId.get(one.companyId)).toEqual({
      companyId: one.companyId,
      name: 'One',
      hash: 'sha256',
      timezone: 'UTC',
      createdAt: expect.stringMatching(ISO_TIME),
      updatedAt: expect.stringMatching(ISO_TIME),
    });
    expect(byId.get(two.companyId)).toMatchObject({ companyId: two.companyId, name: 'Two', hash: 'md5' });
  });

  test('show prints one company without its API key, also by a lower-case identifier', async () => {
    const db = freshDb();
    const created = await cliJson<Created>(['company', 'create', '--name', 'Shown', '--timezone', 'America/New_York'], {
      db,
    });
    for (const id of [created.companyId, created.companyId.toLowerCase()]) {
      const result = await runCli(['company', 'show', id], { db });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).not.toContain(created.apiKey);
      expect(result.stdout).not.toMatch(/apiKey|api_key/);
      const json = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(Object.keys(json)).toEqual(SHOWN_KEYS);
      expect(json).toEqual({
        companyId: created.companyId,
        name: 'Shown',
        hash: 'sha256',
        timezone: 'America/New_York',
        createdAt: expect.stringMatching(ISO_TIME),
        updatedAt: json.createdAt,
      });
    }
  });

  test('show of an unknown company fails with exit code 1', async () => {
    const result = await runCli(['company', 'show', 'NOSUCHCOMPANY0000000000000'], { db: freshDb() });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'switchboard: No company NOSUCHCOMPANY0000000000000.\n' });
  });
});

describe('company update', () => {
  test('changes name, hash and time zone, prints the company without its key, and show agrees', async () => {
    const db = freshDb();
    const created = await cliJson<Created>(['company', 'create', '--name', 'Before'], { db });
    const result = await runCli(
      ['company', 'update', created.companyId, '--name', 'After', '--hash', 'md5', '--timezone', 'Asia/Tokyo'],
      { db },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).not.toContain(created.apiKey);
    const json = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(json).toEqual({
      companyId: created.companyId,
      name: 'After',
      hash: 'md5',
      timezone: 'Asia/Tokyo',
      createdAt: expect.stringMatching(ISO_TIME),
      updatedAt: expect.stringMatching(ISO_TIME),
    });
    expect(await cliJson(['company', 'show', created.companyId], { db })).toEqual(json);
  });

  test('changes only the options given', async () => {
    const db = freshDb();
    const created = await cliJson<Created>(
      ['company', 'create', '--name', 'Keep', '--hash', 'md5', '--timezone', 'Europe/Paris'],
      { db },
    );
    const json = await cliJson(['company', 'update', created.companyId, '--timezone', 'Europe/Rome'], { db });
    expect(json).toMatchObject({ companyId: created.companyId, name: 'Keep', hash: 'md5', timezone: 'Europe/Rome' });
  });

  test.each([
    [['--hash', 'sha512'], 'switchboard: Invalid hash sha512: use sha256 or md5.\n'],
    [['--timezone', 'Nowhere'], 'switchboard: Invalid time zone Nowhere: use an IANA name such as Europe/Berlin.\n'],
    [['--name', ''], 'switchboard: Invalid name: it must not be empty.\n'],
  ])('refuses %j with exit code 1 and changes nothing', async (extra, message) => {
    const db = freshDb();
    const created = await cliJson<Created>(['company', 'create', '--name', 'Stable'], { db });
    const before = await cliJson(['company', 'show', created.companyId], { db });
    const result = await runCli(['company', 'update', created.companyId, '--name', 'Changed', ...extra], { db });
    expect(result).toEqual({ code: 1, stdout: '', stderr: message });
    expect(await cliJson(['company', 'show', created.companyId], { db })).toEqual(before);
  });

  test('of an unknown company fails with exit code 1', async () => {
    const result = await runCli(['company', 'update', 'UNKNOWN', '--name', 'X'], { db: freshDb() });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'switchboard: No company UNKNOWN.\n' });
  });
});

describe('company rotate-key', () => {
  test('prints exactly companyId and a new apiKey; the old token stops, the new one is printed by token', async () => {
    const db = freshDb();
    const created = await cliJson<Created>(['company', 'create', '--name', 'Rotating'], { db });
    const day = 19_387;
    const oldToken = computeAccessToken(created.apiKey, created.companyId, day, 'sha256');
    expect(await runCli(['token', created.companyId, '--day', String(day)], { db })).toEqual({
      code: 0,
      stdout: `${oldToken}\n`,
      stderr: '',
    });

    const result = await runCli(['company', 'rotate-key', created.companyId], { db });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const rotated = JSON.parse(result.stdout) as { companyId: string; apiKey: string };
    expect(Object.keys(rotated)).toEqual(expect.arrayContaining(['companyId', 'apiKey']));
    expect(rotated).toMatchObject({ companyId: created.companyId, apiKey: expect.any(String) });
    expect(result.stdout).not.toContain(created.apiKey);
    expect(rotated.apiKey).not.toBe(created.apiKey);
    expect(rotated.apiKey.length).toBeGreaterThanOrEqual(43);

    const newToken = computeAccessToken(rotated.apiKey, created.companyId, day, 'sha256');
    expect(newToken).not.toBe(oldToken);
    expect(await runCli(['token', created.companyId, '--day', String(day)], { db })).toEqual({
      code: 0,
      stdout: `${newToken}\n`,
      stderr: '',
    });
    // Today's token too is made from the new key.
    const before = utcDay(Date.now());
    const today = await runCli(['token', created.companyId], { db });
    const after = utcDay(Date.now());
    expect(
      [before, after].map((d) => `${computeAccessToken(rotated.apiKey, created.companyId, d, 'sha256')}\n`),
    ).toContain(today.stdout);
  });

  test('is recorded in the audit trail without the key', async () => {
    const db = freshDb();
    const created = await cliJson<Created>(['company', 'create', '--name', 'Audited'], { db });
    const rotated = await cliJson<{ apiKey: string }>(['company', 'rotate-key', created.companyId], { db });
    const audit = await runCli(['audit', '--company', created.companyId], { db });
    expect(audit.code).toBe(0);
    expect(audit.stdout).not.toContain(created.apiKey);
    expect(audit.stdout).not.toContain(rotated.apiKey);
    const entries = JSON.parse(audit.stdout) as Record<string, unknown>[];
    expect(entries.map((entry) => entry.action)).toEqual(['company.rotate-key', 'company.create']);
    expect(entries[0]).toMatchObject({ actor: cliActor(), companyId: created.companyId });
  });

  test('of an unknown company fails with exit code 1', async () => {
    const result = await runCli(['company', 'rotate-key', 'UNKNOWN'], { db: freshDb() });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'switchboard: No company UNKNOWN.\n' });
  });
});
