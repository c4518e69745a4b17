import type { AddressInfo } from 'node:net';
import { describe, expect, test } from 'vitest';
import { getAccount } from '../../src/service/accounts.js';
import { type World, world } from '../client/world.js';
import { runCli } from './run-cli.js';

const SAVED = { success: true, error: false, message: 'The changes have been saved' };

/**
 * The CLI computes its token from the real time, so the server's clock is set to now (and stays
 * there for the test). Its JSON answer is parsed from stdout.
 */
async function realWorld(hash?: 'sha256' | 'md5'): Promise<World> {
  return world({ now: new Date(), hash });
}

/** `switchboard call <endpoint> --url --company --key -p ...` with the world's company. */
function call(w: World, endpoint: string, params: string[], extra: string[] = []) {
  const args = ['call', endpoint, '--url', w.baseUrl, '--company', w.company.companyId, '--key', w.company.apiKey];
  return runCli([...args, ...params.flatMap((param) => ['--param', param]), ...extra], {
    db: false,
    env: { SWITCHBOARD_API_KEY: undefined },
  });
}

async function answer(result: Promise<{ stdout: string; stderr: string; code: number | null }>) {
  const { stdout, stderr, code } = await result;
  expect({ stderr, code }).toEqual({ stderr: '', code: 0 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('switchboard call', () => {
  test('is-account prints the answer', async () => {
    const w = await realWorld();
    const result = await call(w, 'is-account', [`email=${w.anna.email}`]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      `${JSON.stringify({ success: true, error: false, exists: true, verified: true }, null, 2)}\n`,
    );
  });

  test('person-info: public by talk-to-me id without credentials, with them, and by email', async () => {
    const w = await realWorld();
    const { baseUrl } = w;
    const anonymous = runCli(['call', 'person-info', '--url', baseUrl, '-p', `talkToMeId=${w.anna.talkToMeId}`], {
      db: false,
      env: { SWITCHBOARD_API_KEY: undefined },
    });
    expect(await answer(anonymous)).toMatchObject({ success: true, name: 'Anna Home', email: '', available: true });
    // A key in the environment alone does not make the lookup an authenticated one: --company does.
    const keyOnly = runCli(['call', 'person-info', '--url', baseUrl, '-p', `talkToMeId=${w.anna.talkToMeId}`], {
      db: false,
      env: { SWITCHBOARD_API_KEY: 'not-the-key' },
    });
    expect(await answer(keyOnly)).toMatchObject({ name: 'Anna Home', email: '' });
    const own = await answer(call(w, 'person-info', [`talkToMeId=${w.anna.talkToMeId}`]));
    expect(own).toMatchObject({ name: 'Anna Home', email: w.anna.email });
    expect(await answer(call(w, 'person-info', [`email=${w.anna.email}`]))).toEqual(own);
  });

  test('out-of-office and do-not-disturb change the account', async () => {
    const w = await realWorld();
    const absence = ['awayFrom=2099-01-01', 'awayUntil=2099-01-31', `substitution=${w.ben.email}`];
    expect(await answer(call(w, 'out-of-office', [`accountEmail=${w.anna.email}`, ...absence]))).toEqual(SAVED);
    expect(await getAccount(w.store.db, w.anna.email)).toMatchObject({
      awayFrom: '2099-01-01',
      awayUntil: '2099-01-31',
      substitution: w.ben.email,
    });
    expect(await answer(call(w, 'do-not-disturb', [`accountEmail=${w.anna.email}`]))).toEqual(SAVED);
    expect((await getAccount(w.store.db, w.anna.email)).dnd).toBe(true);
    expect(await answer(call(w, 'do-not-disturb', [`accountEmail=${w.anna.email}`, 'dnd=off']))).toEqual(SAVED);
    expect((await getAccount(w.store.db, w.anna.email)).dnd).toBe(false);
  });

  test('an MD5 company with --hash md5, and the key from SWITCHBOARD_API_KEY', async () => {
    const w = await realWorld('md5');
    const args = ['call', 'is-account', '--url', w.baseUrl, '--company', w.company.companyId, '--hash', 'md5'];
    const result = runCli([...args, '-p', `email=${w.anna.email}`], {
      db: false,
      env: { SWITCHBOARD_API_KEY: w.company.apiKey },
    });
    expect(await answer(result)).toEqual({ success: true, error: false, exists: true, verified: true });
    const sha = await call(w, 'is-account', [`email=${w.anna.email}`]);
    expect(sha.code).toBe(1);
  });

  test.each([
    ['a wrong key', ['--key', 'wrong'], ['email=anna@home.example'], 403, 'Invalid authentication.'],
    ['a missing parameter', [], [], 400, 'The parameter email must be filled.'],
    ['a malformed parameter', [], ['email=nope'], 400, 'The parameter email must be a valid email address.'],
  ])(
    'an error answer (%s) is printed on stdout, its message on stderr, exit code 1',
    async (_, extra, params, status, message) => {
      const w = await realWorld();
      const result = await call(w, 'is-account', params, extra);
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toEqual({ success: false, error: true, message });
      expect(result.stderr).toBe(`switchboard: is-account answered ${status}: ${message}\n`);
      expect(result.stdout + result.stderr).not.toContain(w.company.apiKey);
    },
  );

  test('an error answer of a write: another company’s account', async () => {
    const w = await realWorld();
    const result = await call(w, 'do-not-disturb', [`accountEmail=${w.foreign.email}`]);
    const message = 'The account given as accountEmail does not belong to your company.';
    expect(result).toMatchObject({ code: 1, stderr: `switchboard: do-not-disturb answered 403: ${message}\n` });
    expect(JSON.parse(result.stdout)).toEqual({ success: false, error: true, message });
  });

  test.each([
    [['-p', 'name=x'], 'switchboard: is-account takes no parameter "name"; it takes email.\n'],
    [['-p', 'email'], 'switchboard: --param takes name=value, not "email".\n'],
    [['-p', 'email=a@b.example', '-p', 'email=c@d.example'], 'switchboard: --param email is given twice.\n'],
  ])('a usage error (%j) is a message on stderr, nothing on stdout, exit code 1', async (extra, stderr) => {
    const w = await realWorld();
    const result = await call(w, 'is-account', [], extra);
    expect(result).toEqual({ code: 1, stdout: '', stderr });
  });

  test('without --key an authenticated endpoint is refused before any request', async () => {
    const result = await runCli(['call', 'is-account', '--url', 'http://127.0.0.1:9', '-p', 'email=a@b.example'], {
      db: false,
      env: { SWITCHBOARD_API_KEY: undefined },
    });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'switchboard: is-account needs --company and --key (or SWITCHBOARD_API_KEY).\n',
    });
  });

  test('an unknown endpoint or an invalid dnd is refused', async () => {
    const w = await realWorld();
    const unknown = await call(w, 'is-person', []);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain("command-argument value 'is-person' is invalid");
    const dnd = await call(w, 'do-not-disturb', [`accountEmail=${w.anna.email}`, 'dnd=maybe']);
    expect(dnd).toMatchObject({ code: 1, stdout: '' });
    expect(dnd.stderr).toBe('switchboard: The parameter dnd must be a boolean: true/false, 1/0, yes/no or on/off.\n');
  });

  test('no server: a network error on stderr without the key, exit code 1', async () => {
    const w = await realWorld();
    const { port } = w.app.server.address() as AddressInfo;
    await w.app.close();
    const result = await call(w, 'is-account', [`email=${w.anna.email}`]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `switchboard: is-account: request to http://127.0.0.1:${port}/api/is-account failed: ECONNREFUSED\n`,
    });
  });
});
