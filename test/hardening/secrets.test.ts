import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { computeAccessToken, type HashFunction, utcDay } from '../../src/domain/access-token.js';
import { SwitchboardError } from '../../src/domain/errors.js';
import { buildApp } from '../../src/http/app.js';
import { rotateCompanyKey } from '../../src/service/companies.js';
import { createKeyring, type Keyring, MASTER_KEY_MISSING } from '../../src/store/keyring.js';
import { openStore, type Store } from '../../src/store/store.js';
import { exportDump, importDump } from '../../src/store/transfer.js';
import { CLI, cliJson, freshDb, runCli } from '../cli/run-cli.js';
import { makeAccount, makeCompany, type TestCompany } from '../factories.js';
import { buildTestApp, call, NOON, snapshot } from '../helper.js';

const MASTER_KEY = randomBytes(32);
const MASTER_HEX = MASTER_KEY.toString('hex');
const keyring = createKeyring(MASTER_KEY);
const HOUR = 3_600_000;
/** Tests that run the CLI as child processes (about a second each on a busy machine). */
const CLI_TIMEOUT = 120_000;
const EMAIL = 'paul.doe@example.com';
const WRONG_MASTER_KEY =
  /^The API key of company [A-Z0-9]{26} cannot be decrypted: SWITCHBOARD_MASTER_KEY is not the master key/;
const BAD_MASTER_KEY_TEXT =
  'switchboard: SWITCHBOARD_MASTER_KEY must be 32 bytes, written as 64 hex characters or in base64 (make one with `openssl rand -hex 32`).\n';

const at = (ms: number) => new Date(NOON.getTime() + ms);
const tokenOf = (apiKey: string, company: { companyId: string; hash: HashFunction }, now: Date) =>
  computeAccessToken(apiKey, company.companyId, utcDay(now.getTime()), company.hash);

/** Asks is-account with a token; the status says whether the token was accepted. */
async function isAccount(app: Awaited<ReturnType<typeof buildApp>>, companyId: string, token: string) {
  return call(app, '/api/is-account', { companyId, email: EMAIL, key: token });
}

async function rawKeys(store: Store) {
  return store.db
    .selectFrom('companies')
    .select(['id', 'api_key', 'previous_api_key', 'previous_key_expires_at'])
    .orderBy('id')
    .execute();
}

async function auditText(store: Store): Promise<string> {
  return JSON.stringify(await store.db.selectFrom('audit').selectAll().orderBy('id').execute());
}

/** A store at a location of its own (a file on SQLite, a schema on PostgreSQL), closed by `work`'s end. */
async function withStoreAt<T>(location: string, keys: Keyring | undefined, work: (store: Store) => Promise<T>) {
  const store = await openStore(location, keys ? { keyring: keys } : {});
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

describe('API keys encrypted at rest', () => {
  test('the column holds a sealed key, never the key, and the API authenticates with it', async () => {
    const { app, store } = await buildTestApp({}, NOON, { keyring });
    const company = await makeCompany(store);
    const md5 = await makeCompany(store, { hash: 'md5' });
    await makeAccount(store, { companyId: company.companyId, email: EMAIL, verified: true });

    const rows = await rawKeys(store);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.api_key).toMatch(/^enc:v1:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/);
      expect(row.previous_api_key).toBeNull();
    }
    const everything = JSON.stringify(await snapshot(store));
    for (const apiKey of [company.apiKey, md5.apiKey]) expect(everything).not.toContain(apiKey);

    expect((await isAccount(app, company.companyId, company.token())).body).toEqual({
      success: true,
      error: false,
      exists: true,
      verified: true,
    });
    expect((await isAccount(app, md5.companyId, md5.token())).status).toBe(200);
    const wrong = await isAccount(app, company.companyId, md5.token());
    expect(wrong).toMatchObject({ status: 403, body: { message: 'Invalid authentication.' } });
  });

  test('a rotated key and the previous one are both sealed', async () => {
    const { app, store } = await buildTestApp({}, NOON, { keyring });
    const company = await makeCompany(store);
    await makeAccount(store, { companyId: company.companyId, email: EMAIL });
    const rotated = await rotateCompanyKey(store.db, company.companyId, { actor: 'test', now: NOON }, { grace: '1h' });
    const [row] = await rawKeys(store);
    expect(row?.api_key).toMatch(/^enc:v1:/);
    expect(row?.previous_api_key).toMatch(/^enc:v1:/);
    const everything = JSON.stringify(await snapshot(store));
    expect(everything).not.toContain(company.apiKey);
    expect(everything).not.toContain(rotated.apiKey);
    expect((await isAccount(app, company.companyId, tokenOf(rotated.apiKey, company, NOON))).status).toBe(200);
    expect((await isAccount(app, company.companyId, company.token())).status).toBe(200);
  });

  test('plain keys are encrypted when the store first opens with a master key: once, audited without key material', async () => {
    const location = freshDb();
    const change = { actor: 'test', now: NOON };
    const { one, two, rotated } = await withStoreAt(location, undefined, async (store) => {
      const one = await makeCompany(store);
      const two = await makeCompany(store, { hash: 'md5' });
      await makeAccount(store, { companyId: one.companyId, email: EMAIL, verified: true });
      const rotated = await rotateCompanyKey(store.db, two.companyId, change, { grace: '24h' });
      const plain = await rawKeys(store);
      expect(plain.map((row) => row.api_key).sort()).toEqual([one.apiKey, rotated.apiKey].sort());
      return { one, two, rotated };
    });

    const sealed = await withStoreAt(location, keyring, async (store) => {
      const rows = await rawKeys(store);
      for (const row of rows) expect(row.api_key).toMatch(/^enc:v1:/);
      expect(rows.find((row) => row.id === two.companyId)?.previous_api_key).toMatch(/^enc:v1:/);
      const entries = await store.db
        .selectFrom('audit')
        .selectAll()
        .where('action', '=', 'company.encrypt-keys')
        .orderBy('company_id')
        .execute();
      expect(entries.map((entry) => [entry.company_id, entry.subject, entry.actor, entry.before, entry.after])).toEqual(
        [one.companyId, two.companyId].sort().map((id) => [id, `company:${id}`, 'system', 'null', 'null']),
      );
      const text = `${JSON.stringify(await snapshot(store))}`;
      for (const apiKey of [one.apiKey, two.apiKey, rotated.apiKey]) expect(text).not.toContain(apiKey);
      return rows;
    });

    // Opening again changes nothing: no new ciphertexts, no new audit entries.
    await withStoreAt(location, keyring, async (store) => {
      expect(await rawKeys(store)).toEqual(sealed);
      const count = await store.db
        .selectFrom('audit')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('action', '=', 'company.encrypt-keys')
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(2);

      // The sealed keys authenticate, the previous key of the grace period too.
      const app = await buildApp({ store, config: { logLevel: false }, clock: () => at(HOUR) });
      try {
        expect((await isAccount(app, one.companyId, one.token(at(HOUR)))).status).toBe(200);
        expect((await isAccount(app, two.companyId, tokenOf(rotated.apiKey, two, at(HOUR)))).status).toBe(200);
        expect((await isAccount(app, two.companyId, two.token(at(HOUR)))).status).toBe(200);
      } finally {
        await app.close();
      }
    });
  });

  test('a wrong master key fails at start with a clear message, and without key material in it', {
    timeout: CLI_TIMEOUT,
  }, async () => {
    const location = freshDb();
    const company = await withStoreAt(location, keyring, (store) => makeCompany(store));
    const other = randomBytes(32);
    const opening = openStore(location, { keyring: createKeyring(other) });
    await expect(opening).rejects.toThrow(WRONG_MASTER_KEY);
    const message = String(((await opening.catch((error: unknown) => error)) as Error).message);
    for (const secret of [company.apiKey, MASTER_HEX, other.toString('hex')]) expect(message).not.toContain(secret);

    const cli = await runCli(['company', 'list'], {
      db: location,
      env: { SWITCHBOARD_MASTER_KEY: other.toString('hex') },
    });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toMatch(/^switchboard: The API key of company [A-Z0-9]{26} cannot be decrypted: /);
  });

  test('encrypted keys without a master key fail at start with a clear message, for every command and serve', {
    timeout: CLI_TIMEOUT,
  }, async () => {
    const location = freshDb();
    await withStoreAt(location, keyring, (store) => makeCompany(store));
    await expect(openStore(location)).rejects.toThrow(MASTER_KEY_MISSING);
    expect(MASTER_KEY_MISSING).toMatch(/^The database holds encrypted API keys: set SWITCHBOARD_MASTER_KEY/);

    const expected = { code: 1, stdout: '', stderr: `switchboard: ${MASTER_KEY_MISSING}\n` };
    const noKey = { db: location, env: { SWITCHBOARD_MASTER_KEY: undefined } };
    expect(await runCli(['company', 'list'], noKey)).toEqual(expected);
    expect(await runCli(['migrate'], noKey)).toEqual(expected);
    expect(await runCli(['serve', '--port', '0'], noKey)).toEqual(expected);
  });

  test('an invalid SWITCHBOARD_MASTER_KEY is refused with a clear message that does not repeat it', {
    timeout: CLI_TIMEOUT,
  }, async () => {
    const db = freshDb();
    for (const text of ['', 'not-a-key', MASTER_HEX.slice(2), randomBytes(16).toString('base64')]) {
      const result = await runCli(['company', 'list'], { db, env: { SWITCHBOARD_MASTER_KEY: text } });
      expect(result).toEqual({ code: 1, stdout: '', stderr: BAD_MASTER_KEY_TEXT });
    }
  });

  test('the CLI encrypts with SWITCHBOARD_MASTER_KEY, given as hex or base64, and its token command reads through it', {
    timeout: CLI_TIMEOUT,
  }, async () => {
    const db = freshDb();
    const env = { SWITCHBOARD_MASTER_KEY: MASTER_HEX };
    const created = await cliJson<{ companyId: string; apiKey: string }>(['company', 'create', '--name', 'Sealed'], {
      db,
      env,
    });
    const [row] = await withStoreAt(db, keyring, rawKeys);
    expect(row?.api_key).toMatch(/^enc:v1:/);
    expect(row?.api_key).not.toContain(created.apiKey);

    const day = 19_387;
    const expected = `${computeAccessToken(created.apiKey, created.companyId, day, 'sha256')}\n`;
    for (const key of [MASTER_HEX, MASTER_KEY.toString('base64'), MASTER_KEY.toString('base64url')]) {
      const token = await runCli(['token', created.companyId, '--day', String(day)], {
        db,
        env: { SWITCHBOARD_MASTER_KEY: key },
      });
      expect(token).toEqual({ code: 0, stdout: expected, stderr: '' });
    }
  });

  test('a plain dump imported into a store with a master key is encrypted in the same transaction', async () => {
    const plain = await withStoreAt(freshDb(), undefined, async (store) => {
      const company = await makeCompany(store);
      const lines = [];
      for await (const line of exportDump(store.db, NOON)) lines.push(line);
      return { company, lines };
    });
    await withStoreAt(freshDb(), keyring, async (store) => {
      await importDump(
        store,
        (async function* () {
          yield* plain.lines;
        })(),
      );
      const [row] = await rawKeys(store);
      expect(row?.api_key).toMatch(/^enc:v1:/);
      const actions = await store.db.selectFrom('audit').select('action').orderBy('id').execute();
      expect(actions.map((entry) => entry.action)).toEqual(['company.create', 'company.encrypt-keys']);
      const app = await buildApp({ store, config: { logLevel: false }, clock: () => NOON });
      try {
        expect((await isAccount(app, plain.company.companyId, plain.company.token())).status).toBe(200);
      } finally {
        await app.close();
      }
    });
  });

  test('a dump of an encrypted database keeps the keys encrypted and imports only with the same master key', {
    timeout: CLI_TIMEOUT,
  }, async () => {
    const source = freshDb();
    const env = { SWITCHBOARD_MASTER_KEY: MASTER_HEX };
    const created = await cliJson<{ companyId: string; apiKey: string }>(['company', 'create', '--name', 'Dumped'], {
      db: source,
      env,
    });
    const rotated = await cliJson<{ apiKey: string }>(['company', 'rotate-key', created.companyId, '--grace', '7d'], {
      db: source,
      env,
    });
    const dump = await runCli(['export'], { db: source, env });
    expect(dump.code).toBe(0);
    expect(dump.stdout).toContain('"api_key":"enc:v1:');
    expect(dump.stdout).toContain('"previous_api_key":"enc:v1:');
    expect(dump.stdout).not.toContain(created.apiKey);

    const importInto = (db: string, extra: Record<string, string>) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const env = { ...process.env, ...extra };
        if (extra.SWITCHBOARD_MASTER_KEY === undefined) delete env.SWITCHBOARD_MASTER_KEY;
        const child = execFile(
          process.execPath,
          [CLI, 'import', '--db', db],
          { env, encoding: 'utf8' },
          (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }),
        );
        child.stdin?.end(dump.stdout);
      });

    // Without the master key, or with another one, nothing is imported.
    const refused = freshDb();
    expect(await importInto(refused, {})).toEqual({ code: 1, stderr: `switchboard: ${MASTER_KEY_MISSING}\n` });
    const wrong = await importInto(refused, { SWITCHBOARD_MASTER_KEY: randomBytes(32).toString('hex') });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/cannot be decrypted: SWITCHBOARD_MASTER_KEY is not the master key/);
    expect(await runCli(['company', 'list'], { db: refused })).toEqual({ code: 0, stdout: '[]\n', stderr: '' });

    // With the same key: the same rows, and the keys work.
    const target = freshDb();
    expect(await importInto(target, env)).toEqual({ code: 0, stderr: '' });
    const again = await runCli(['export'], { db: target, env });
    const rows = (text: string) => text.trim().split('\n').slice(1);
    expect(rows(again.stdout)).toEqual(rows(dump.stdout));
    const token = await runCli(['token', created.companyId, '--day', '19387'], { db: target, env });
    expect(token).toEqual({
      code: 0,
      stdout: `${computeAccessToken(rotated.apiKey, created.companyId, 19_387, 'sha256')}\n`,
      stderr: '',
    });
  });
});

describe.each([
  ['plain', undefined],
  ['encrypted', keyring],
] as const)('rotate-key with a grace period (keys %s)', (_name, keys) => {
  async function setup() {
    const test = await buildTestApp({}, NOON, { keyring: keys });
    const company = await makeCompany(test.store);
    await makeAccount(test.store, { companyId: company.companyId, email: EMAIL, verified: true });
    return { ...test, company };
  }

  const rotate = (store: Store, company: TestCompany, grace?: string, now = NOON) =>
    rotateCompanyKey(store.db, company.companyId, { actor: 'test', now }, grace === undefined ? {} : { grace });

  test('the previous key works until the grace period ends, then answers 403; the new key works throughout', async () => {
    const { app, store, setNow, company } = await setup();
    const rotated = await rotate(store, company, '24h');
    expect(rotated).toEqual({
      companyId: company.companyId,
      apiKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      previousKeyValidUntil: '2023-08-11T12:00:00.000Z',
    });
    expect(Object.keys(rotated)).toEqual(['companyId', 'apiKey', 'previousKeyValidUntil']);

    for (const now of [NOON, at(HOUR), at(24 * HOUR - 1)]) {
      setNow(now);
      expect((await isAccount(app, company.companyId, company.token(now))).status, now.toISOString()).toBe(200);
      expect((await isAccount(app, company.companyId, tokenOf(rotated.apiKey, company, now))).status).toBe(200);
    }
    for (const now of [at(24 * HOUR), at(30 * HOUR)]) {
      setNow(now);
      expect(await isAccount(app, company.companyId, company.token(now))).toMatchObject({
        status: 403,
        body: { success: false, error: true, message: 'Invalid authentication.' },
      });
      expect((await isAccount(app, company.companyId, tokenOf(rotated.apiKey, company, now))).status).toBe(200);
    }
  });

  test('rotating without --grace invalidates the old key at once and ends an earlier grace period', async () => {
    const { app, store, company } = await setup();
    const first = await rotate(store, company, '7d');
    expect((await isAccount(app, company.companyId, company.token())).status).toBe(200);

    const second = await rotate(store, company);
    expect(second.previousKeyValidUntil).toBeNull();
    expect((await isAccount(app, company.companyId, company.token())).status).toBe(403);
    expect((await isAccount(app, company.companyId, tokenOf(first.apiKey, company, NOON))).status).toBe(403);
    expect((await isAccount(app, company.companyId, tokenOf(second.apiKey, company, NOON))).status).toBe(200);
    const [row] = await rawKeys(store);
    expect(row).toMatchObject({ previous_api_key: null, previous_key_expires_at: null });
  });

  test('rotating without grace right after creation: the old token fails on the next request', async () => {
    const { app, store, company } = await setup();
    expect((await isAccount(app, company.companyId, company.token())).status).toBe(200);
    const rotated = await rotate(store, company);
    expect((await isAccount(app, company.companyId, company.token())).status).toBe(403);
    expect((await isAccount(app, company.companyId, tokenOf(rotated.apiKey, company, NOON))).status).toBe(200);
  });

  test('a second rotation with grace keeps only the key it replaces', async () => {
    const { app, store, company } = await setup();
    const first = await rotate(store, company, '7d');
    const second = await rotate(store, company, '30m', at(HOUR));
    expect(second.previousKeyValidUntil).toBe(at(HOUR + 30 * 60_000).toISOString());
    expect((await isAccount(app, company.companyId, company.token())).status).toBe(403);
    expect((await isAccount(app, company.companyId, tokenOf(first.apiKey, company, NOON))).status).toBe(200);
    expect((await isAccount(app, company.companyId, tokenOf(second.apiKey, company, NOON))).status).toBe(200);
  });

  test('the stand-in key used to even out the work is never accepted', async () => {
    const { app, store, company } = await setup();
    const standIn = tokenOf('x'.repeat(64), company, NOON);
    expect((await isAccount(app, company.companyId, standIn)).status).toBe(403);
    await rotate(store, company, '1h');
    expect((await isAccount(app, company.companyId, standIn)).status).toBe(403);
  });

  test('an invalid grace period is refused and changes nothing', async () => {
    const { store, company } = await setup();
    const before = await snapshot(store);
    for (const grace of ['', '5x', '0h', '24', '1.5h', '91d']) {
      const refusal = await rotate(store, company, grace).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(SwitchboardError);
      expect(refusal).toMatchObject({
        code: 'INVALID_VALUE',
        status: 400,
        message: `Invalid grace period ${grace}: use minutes, hours or days up to 90 days, such as 30m, 24h or 7d.`,
      });
    }
    expect(await snapshot(store)).toEqual(before);
  });

  test('each rotation is audited with its end of grace, never with a key', async () => {
    const { store, company } = await setup();
    const first = await rotate(store, company, '24h');
    const second = await rotate(store, company);
    const entries = await store.db
      .selectFrom('audit')
      .selectAll()
      .where('action', '=', 'company.rotate-key')
      .orderBy('id')
      .execute();
    const parse = (text: string | null) => (text === null ? undefined : JSON.parse(text));
    expect(entries.map((entry) => [entry.actor, entry.subject, parse(entry.before), parse(entry.after)])).toEqual([
      ['test', `company:${company.companyId}`, null, { previousKeyValidUntil: '2023-08-11T12:00:00.000Z' }],
      ['test', `company:${company.companyId}`, null, { previousKeyValidUntil: null }],
    ]);
    const text = await auditText(store);
    for (const apiKey of [company.apiKey, first.apiKey, second.apiKey]) expect(text).not.toContain(apiKey);
  });
});

describe('company rotate-key --grace (CLI)', () => {
  test('prints companyId, apiKey and previousKeyValidUntil; without --grace it is null', {
    timeout: CLI_TIMEOUT,
  }, async () => {
    const db = freshDb();
    const env = { SWITCHBOARD_MASTER_KEY: MASTER_HEX };
    const created = await cliJson<{ companyId: string; apiKey: string }>(['company', 'create', '--name', 'Graceful'], {
      db,
      env,
    });
    const started = Date.now();
    const result = await runCli(['company', 'rotate-key', created.companyId, '--grace', '24h'], { db, env });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const rotated = JSON.parse(result.stdout) as { companyId: string; apiKey: string; previousKeyValidUntil: string };
    expect(Object.keys(rotated)).toEqual(['companyId', 'apiKey', 'previousKeyValidUntil']);
    expect(rotated.companyId).toBe(created.companyId);
    expect(rotated.apiKey).not.toBe(created.apiKey);
    const until = Date.parse(rotated.previousKeyValidUntil);
    expect(until).toBeGreaterThanOrEqual(started + 24 * HOUR);
    expect(until).toBeLessThanOrEqual(Date.now() + 24 * HOUR);

    const immediate = await cliJson<Record<string, unknown>>(['company', 'rotate-key', created.companyId], { db, env });
    expect(immediate).toEqual({
      companyId: created.companyId,
      apiKey: expect.stringMatching(/^[0-9a-f]{64}$/),
      previousKeyValidUntil: null,
    });

    const audit = await runCli(['audit', '--company', created.companyId], { db, env });
    expect(audit.code).toBe(0);
    for (const apiKey of [created.apiKey, rotated.apiKey, String(immediate.apiKey)]) {
      expect(audit.stdout).not.toContain(apiKey);
    }
  });

  test('an invalid --grace fails with exit code 1 and changes nothing', { timeout: CLI_TIMEOUT }, async () => {
    const db = freshDb();
    const created = await cliJson<{ companyId: string }>(['company', 'create', '--name', 'Typo'], { db });
    for (const grace of ['2x', '0m', '100d']) {
      expect(await runCli(['company', 'rotate-key', created.companyId, '--grace', grace], { db })).toEqual({
        code: 1,
        stdout: '',
        stderr: `switchboard: Invalid grace period ${grace}: use minutes, hours or days up to 90 days, such as 30m, 24h or 7d.\n`,
      });
    }
    const audit = await cliJson<{ action: string }[]>(['audit', '--company', created.companyId], { db });
    expect(audit.map((entry) => entry.action)).toEqual(['company.create']);
  });
});
