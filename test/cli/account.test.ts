import { beforeAll, describe, expect, test, vi } from 'vitest';
import { cliActor, cliJson, freshDb, runCli } from './run-cli.js';

// Every CLI run is a process of its own (~0.3 s, several seconds when the machine is busy).
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const ID = /^[A-Z0-9]{26}$/;

/** The keys CONTRACT.md section 7 requires of `account show|create|update`. */
const ACCOUNT_KEYS = [
  'email',
  'name',
  'companyId',
  'talkToMeId',
  'position',
  'phone',
  'mobile',
  'avatar',
  'verified',
  'locked',
  'dnd',
  'onlineState',
  'awayFrom',
  'awayUntil',
  'substitution',
  'substitutionChannel',
];

interface AccountJson {
  email: string;
  name: string;
  companyId: string | null;
  talkToMeId: string;
  [key: string]: unknown;
}

/** Checks the contract's keys are all there, then the values. */
function expectAccount(json: unknown, values: Record<string, unknown>): void {
  expect(Object.keys(json as object)).toEqual(expect.arrayContaining(ACCOUNT_KEYS));
  expect(json).toMatchObject(values);
}

async function newCompany(db: string, name = 'Acme'): Promise<string> {
  return (await cliJson<{ companyId: string }>(['company', 'create', '--name', name], { db })).companyId;
}

describe('account create', () => {
  let db: string;
  let companyId: string;

  beforeAll(async () => {
    db = freshDb();
    companyId = await newCompany(db);
  });

  test('with every option prints the whole account as JSON', async () => {
    const result = await runCli(
      [
        'account',
        'create',
        '--email',
        'Anna.Full@Example.com',
        '--name',
        ' Anna Full ',
        '--company',
        companyId,
        '--position',
        'Sales',
        '--phone',
        '+49 30 123',
        '--mobile',
        '+49 171 456',
        '--avatar',
        'https://example.com/anna.png',
        '--verified',
        '--locked',
      ],
      { db },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const json = JSON.parse(result.stdout) as AccountJson;
    expectAccount(json, {
      email: 'Anna.Full@Example.com',
      name: 'Anna Full',
      companyId,
      talkToMeId: expect.stringMatching(ID),
      position: 'Sales',
      phone: '+49 30 123',
      mobile: '+49 171 456',
      avatar: 'https://example.com/anna.png',
      verified: true,
      locked: true,
      dnd: false,
      onlineState: 'OFFLINE',
      awayFrom: null,
      awayUntil: null,
      substitution: null,
      substitutionChannel: null,
    });
    expect(json.talkToMeId).not.toBe(companyId);
  });

  test('with only email and name: no company, optional fields null, flags false, OFFLINE', async () => {
    const json = await cliJson<AccountJson>(['account', 'create', '--email', 'plain@example.com', '--name', 'Plain'], {
      db,
    });
    expectAccount(json, {
      email: 'plain@example.com',
      name: 'Plain',
      companyId: null,
      talkToMeId: expect.stringMatching(ID),
      position: null,
      phone: null,
      mobile: null,
      avatar: null,
      verified: false,
      locked: false,
      dnd: false,
      onlineState: 'OFFLINE',
      awayFrom: null,
      awayUntil: null,
      substitution: null,
      substitutionChannel: null,
    });
  });

  test('each account gets its own talk-to-me identifier', async () => {
    const one = await cliJson<AccountJson>(['account', 'create', '--email', 'one@example.com', '--name', 'One'], {
      db,
    });
    const two = await cliJson<AccountJson>(['account', 'create', '--email', 'two@example.com', '--name', 'Two'], {
      db,
    });
    expect(one.talkToMeId).toMatch(ID);
    expect(two.talkToMeId).toMatch(ID);
    expect(one.talkToMeId).not.toBe(two.talkToMeId);
  });

  test('refuses a duplicate email, in any letter case, and keeps the first account', async () => {
    await cliJson(['account', 'create', '--email', 'dup@example.com', '--name', 'First'], { db });
    const result = await runCli(['account', 'create', '--email', 'DUP@example.com', '--name', 'Second'], { db });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: An account DUP@example.com exists already.\n',
    });
    expect(await cliJson(['account', 'show', 'dup@example.com'], { db })).toMatchObject({
      email: 'dup@example.com',
      name: 'First',
    });
  });

  test('refuses an unknown company and creates nothing', async () => {
    const result = await runCli(
      ['account', 'create', '--email', 'orphan@example.com', '--name', 'Orphan', '--company', 'NOPE'],
      { db },
    );
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'switchboard: No company NOPE.\n' });
    expect(await runCli(['account', 'show', 'orphan@example.com'], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No account orphan@example.com.\n',
    });
  });

  test('refuses an invalid email', async () => {
    const result = await runCli(['account', 'create', '--email', 'not-an-email', '--name', 'X'], { db });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'switchboard: Invalid email not-an-email.\n' });
  });

  test('requires --email and --name', async () => {
    for (const [args, option] of [
      [['--name', 'X'], '--email <email>'],
      [['--email', 'x@example.com'], '--name <name>'],
    ] as const) {
      const result = await runCli(['account', 'create', ...args], { db });
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`required option '${option}' not specified`);
    }
  });
});

describe('account show and list', () => {
  let db: string;
  let acme: string;
  let other: string;

  beforeAll(async () => {
    db = freshDb();
    acme = await newCompany(db, 'Acme');
    other = await newCompany(db, 'Other');
    await cliJson(['account', 'create', '--email', 'b@acme.example', '--name', 'B', '--company', acme], { db });
    await cliJson(['account', 'create', '--email', 'a@acme.example', '--name', 'A', '--company', acme], { db });
    await cliJson(['account', 'create', '--email', 'o@other.example', '--name', 'O', '--company', other], { db });
    await cliJson(['account', 'create', '--email', 'free@example.com', '--name', 'Free'], { db });
  });

  test('show prints the same JSON as create, found case-insensitively and trimmed', async () => {
    const created = await cliJson<AccountJson>(
      ['account', 'create', '--email', 'Show.Me@acme.example', '--name', 'Show Me', '--company', acme, '--verified'],
      { db },
    );
    for (const email of ['Show.Me@acme.example', 'show.me@ACME.example', ' show.me@acme.example ']) {
      const result = await runCli(['account', 'show', email], { db });
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(result.stdout)).toEqual(created);
    }
  });

  test('show of an unknown account fails with exit code 1', async () => {
    expect(await runCli(['account', 'show', 'nobody@example.com'], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No account nobody@example.com.\n',
    });
  });

  test('list --company prints only that company’s accounts', async () => {
    const list = await cliJson<AccountJson[]>(['account', 'list', '--company', other], { db });
    expect(list).toHaveLength(1);
    expectAccount(list[0], { email: 'o@other.example', name: 'O', companyId: other });
    const acmeList = await cliJson<AccountJson[]>(['account', 'list', '--company', acme.toLowerCase()], { db });
    expect(acmeList.every((account) => account.companyId === acme)).toBe(true);
    expect(acmeList.map((account) => account.email)).toEqual(
      expect.arrayContaining(['a@acme.example', 'b@acme.example']),
    );
    expect(acmeList.map((account) => account.email)).not.toContain('free@example.com');
  });

  test('list without --company prints every account, with and without company', async () => {
    const list = await cliJson<AccountJson[]>(['account', 'list'], { db });
    const emails = list.map((account) => account.email);
    expect(emails).toEqual(
      expect.arrayContaining(['a@acme.example', 'b@acme.example', 'o@other.example', 'free@example.com']),
    );
    for (const account of list) expect(Object.keys(account)).toEqual(expect.arrayContaining(ACCOUNT_KEYS));
    expect(list.find((account) => account.email === 'free@example.com')?.companyId).toBeNull();
  });

  test('list of a company without accounts prints []', async () => {
    const empty = await newCompany(db, 'Empty');
    expect(await runCli(['account', 'list', '--company', empty], { db })).toEqual({
      code: 0,
      stdout: '[]\n',
      stderr: '',
    });
  });

  test('list of an unknown company fails with exit code 1', async () => {
    expect(await runCli(['account', 'list', '--company', 'NOPE'], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No company NOPE.\n',
    });
  });
});

describe('account update', () => {
  let db: string;
  let companyId: string;
  let created: AccountJson;

  beforeAll(async () => {
    db = freshDb();
    companyId = await newCompany(db);
    created = await cliJson<AccountJson>(
      ['account', 'create', '--email', 'upd@example.com', '--name', 'Upd', '--company', companyId, '--position', 'Dev'],
      { db },
    );
  });

  test('changes the profile and prints the account; show agrees', async () => {
    const result = await runCli(
      [
        'account',
        'update',
        'UPD@example.com',
        '--name',
        'Updated',
        '--position',
        'Lead',
        '--phone',
        '+1 555',
        '--mobile',
        '+1 666',
        '--avatar',
        'https://example.com/u.png',
      ],
      { db },
    );
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const json = JSON.parse(result.stdout) as AccountJson;
    expectAccount(json, {
      email: 'upd@example.com',
      name: 'Updated',
      companyId,
      talkToMeId: created.talkToMeId,
      position: 'Lead',
      phone: '+1 555',
      mobile: '+1 666',
      avatar: 'https://example.com/u.png',
      verified: false,
      locked: false,
      dnd: false,
      onlineState: 'OFFLINE',
    });
    expect(await cliJson(['account', 'show', 'upd@example.com'], { db })).toEqual(json);
  });

  test('--verified / --unverified and --lock / --unlock set and clear the flags', async () => {
    expect(await cliJson(['account', 'update', 'upd@example.com', '--verified', '--lock'], { db })).toMatchObject({
      verified: true,
      locked: true,
    });
    expect(await cliJson(['account', 'show', 'upd@example.com'], { db })).toMatchObject({
      verified: true,
      locked: true,
    });
    expect(await cliJson(['account', 'update', 'upd@example.com', '--unlock'], { db })).toMatchObject({
      verified: true,
      locked: false,
    });
    expect(await cliJson(['account', 'update', 'upd@example.com', '--unverified'], { db })).toMatchObject({
      verified: false,
      locked: false,
    });
  });

  test.each(['ONLINE', 'AWAY', 'OFFLINE'])('--online-state %s', async (state) => {
    expect(await cliJson(['account', 'update', 'upd@example.com', '--online-state', state], { db })).toMatchObject({
      onlineState: state,
    });
    expect(await cliJson(['account', 'show', 'upd@example.com'], { db })).toMatchObject({ onlineState: state });
  });

  test('refuses an invalid online state and changes nothing (not even the other options)', async () => {
    const before = await cliJson(['account', 'show', 'upd@example.com'], { db });
    const result = await runCli(
      ['account', 'update', 'upd@example.com', '--name', 'Changed', '--online-state', 'BUSY'],
      { db },
    );
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: Invalid online state BUSY: use ONLINE, AWAY or OFFLINE.\n',
    });
    expect(await cliJson(['account', 'show', 'upd@example.com'], { db })).toEqual(before);
  });

  test.each([
    [['--lock', '--unlock'], 'switchboard: Invalid options: --lock and --unlock exclude each other.\n'],
    [['--verified', '--unverified'], 'switchboard: Invalid options: --verified and --unverified exclude each other.\n'],
  ])('refuses %j together and changes nothing', async (flags, message) => {
    const before = await cliJson(['account', 'show', 'upd@example.com'], { db });
    const result = await runCli(['account', 'update', 'upd@example.com', '--name', 'Changed', ...flags], { db });
    expect(result).toEqual({ code: 1, stdout: '', stderr: message });
    expect(await cliJson(['account', 'show', 'upd@example.com'], { db })).toEqual(before);
  });

  test('refuses an empty name', async () => {
    const result = await runCli(['account', 'update', 'upd@example.com', '--name', ' '], { db });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'switchboard: Invalid name: it must not be empty.\n' });
  });

  test('of an unknown account fails with exit code 1', async () => {
    expect(await runCli(['account', 'update', 'ghost@example.com', '--lock'], { db })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: No account ghost@example.com.\n',
    });
  });

  test('is recorded in the audit trail with the actor cli:<user>, before and after', async () => {
    await cliJson(['account', 'update', 'upd@example.com', '--unlock'], { db });
    await cliJson(['account', 'update', 'upd@example.com', '--lock'], { db });
    const [latest, previous] = await cliJson<Record<string, unknown>[]>(
      ['audit', '--company', companyId, '--limit', '2'],
      {
        db,
      },
    );
    expect(latest).toEqual({
      id: expect.any(Number),
      at: expect.any(String),
      actor: cliActor(),
      action: 'account.update',
      companyId,
      subject: 'account:upd@example.com',
      before: { locked: 0 },
      after: { locked: 1 },
    });
    expect(previous).toMatchObject({
      action: 'account.update',
      before: { locked: expect.anything() },
      after: { locked: 0 },
    });
    expect(String(latest?.actor)).toMatch(/^cli:/);
  });
});
