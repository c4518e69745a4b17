import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { computeAccessToken, type HashFunction, utcDay } from '../../src/domain/access-token.js';
import { rotateCompanyKey } from '../../src/service/companies.js';
import { createKeyring } from '../../src/store/keyring.js';
import { findCompany } from '../../src/store/repositories/companies.js';
import { type CliResult, freshDb, runCli } from '../cli/run-cli.js';
import { makeAccount, makeCompany } from '../factories.js';
import { buildTestApp, NOON } from '../helper.js';
import { startServer } from '../server-process.js';

/**
 * Every API key, token and master key that a representative run handles is looked for in
 * everything the server logs and everything the CLI writes to stderr: none may appear, in any case.
 */

const MASTER_KEY = randomBytes(32);
const MASTER_KEY_FORMS = [MASTER_KEY.toString('hex'), MASTER_KEY.toString('base64'), MASTER_KEY.toString('base64url')];
const DAY_MS = 86_400_000;

/** Secrets of a run, by a readable name (the name, not the secret, is what a failure shows first). */
class Secrets {
  readonly all = new Map<string, string>();

  add(name: string, value: string): string {
    this.all.set(name, value);
    return value;
  }

  /** The tokens of `apiKey` for yesterday, today and tomorrow (the accepted window), and their upper case. */
  addTokens(name: string, apiKey: string, companyId: string, hash: HashFunction, now: Date): string {
    const today = utcDay(now.getTime());
    for (const day of [today - 1, today, today + 1]) {
      const token = computeAccessToken(apiKey, companyId, day, hash);
      this.add(`${name} token of day ${day}`, token);
    }
    return computeAccessToken(apiKey, companyId, today, hash);
  }

  /** The names of the secrets found in `text`, compared case-insensitively. */
  foundIn(text: string): string[] {
    const lower = text.toLowerCase();
    return [...this.all].filter(([, value]) => lower.includes(value.toLowerCase())).map(([name]) => name);
  }
}

interface Probe {
  name: string;
  method: 'GET' | 'HEAD' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  status: number;
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const JSON_TYPE = { 'content-type': 'application/json' };

/**
 * Calls of all four endpoints with the token in every place the contract allows, and with wrong
 * and misplaced secrets, each with the status it must get.
 */
function probes(p: {
  companyId: string;
  token: string;
  apiKey: string;
  email: string;
  other: string;
  talkToMeId: string;
  otherToken: string;
  wrongToken: string;
  basic: string;
  date: string;
}): Probe[] {
  const { companyId, token, email } = p;
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const isAccount = (key: string) => `/api/is-account?${q({ companyId, email, key })}`;
  const bare = `/api/is-account?${q({ companyId, email })}`;
  return [
    { name: 'key as query parameter', method: 'GET', url: isAccount(token), status: 200 },
    { name: 'HEAD with key', method: 'HEAD', url: isAccount(token), status: 200 },
    {
      name: 'key in a form body',
      method: 'POST',
      url: '/api/is-account',
      headers: FORM,
      body: q({ companyId, email, key: token }),
      status: 200,
    },
    {
      name: 'key in a JSON body',
      method: 'POST',
      url: '/api/is-account',
      headers: JSON_TYPE,
      body: JSON.stringify({ companyId, email, key: token }),
      status: 200,
    },
    { name: 'bare Authorization header', method: 'GET', url: bare, headers: { authorization: token }, status: 200 },
    { name: 'Bearer', method: 'GET', url: bare, headers: { authorization: `Bearer ${token}` }, status: 200 },
    { name: 'upper-case token', method: 'GET', url: isAccount(token.toUpperCase()), status: 200 },
    {
      name: 'percent-encoded parameter name',
      method: 'GET',
      url: `/api/is-account?${q({ companyId, email })}&k%65y=${token}`,
      status: 200,
    },
    {
      name: 'person-info by email',
      method: 'GET',
      url: `/api/person-info?${q({ companyId, email, key: token })}`,
      status: 200,
    },
    {
      name: 'person-info public',
      method: 'GET',
      url: `/api/person-info?${q({ talkToMeId: p.talkToMeId })}`,
      status: 200,
    },
    {
      name: 'out-of-office with Bearer',
      method: 'POST',
      url: '/api/out-of-office',
      headers: { ...FORM, authorization: `Bearer ${token}` },
      body: q({ companyId, accountEmail: p.other, awayFrom: p.date, substitution: email }),
      status: 200,
    },
    {
      name: 'out-of-office with key in the query of a POST',
      method: 'POST',
      url: `/api/out-of-office?${q({ key: token })}`,
      headers: FORM,
      body: q({ companyId, accountEmail: p.other }),
      status: 200,
    },
    {
      name: 'do-not-disturb JSON',
      method: 'POST',
      url: '/api/do-not-disturb',
      headers: JSON_TYPE,
      body: JSON.stringify({ companyId, accountEmail: email, dnd: false, key: token }),
      status: 200,
    },
    { name: 'wrong token', method: 'GET', url: isAccount(p.wrongToken), status: 403 },
    { name: "another company's token", method: 'GET', url: isAccount(p.otherToken), status: 403 },
    { name: 'the API key itself as key', method: 'GET', url: isAccount(p.apiKey), status: 403 },
    {
      name: 'the API key as Bearer',
      method: 'GET',
      url: bare,
      headers: { authorization: `Bearer ${p.apiKey}` },
      status: 403,
    },
    {
      name: 'Basic credentials',
      method: 'GET',
      url: bare,
      headers: { authorization: `Basic ${p.basic}` },
      status: 403,
    },
    {
      name: 'wrong token in a JSON body',
      method: 'POST',
      url: '/api/is-account',
      headers: JSON_TYPE,
      body: JSON.stringify({ companyId, email, key: p.wrongToken }),
      status: 403,
    },
    { name: 'missing email', method: 'GET', url: `/api/is-account?${q({ companyId, key: token })}`, status: 400 },
    { name: 'repeated key', method: 'GET', url: `${isAccount(token)}&key=${token}`, status: 400 },
    {
      name: 'key not a string',
      method: 'POST',
      url: '/api/is-account',
      headers: JSON_TYPE,
      body: JSON.stringify({ companyId, email, key: [token] }),
      status: 400,
    },
    {
      name: 'malformed JSON',
      method: 'POST',
      url: '/api/is-account',
      headers: JSON_TYPE,
      body: `{"companyId":"${companyId}","key":"${token}",`,
      status: 400,
    },
    {
      name: 'JSON with the token where a name goes',
      method: 'POST',
      url: '/api/is-account',
      headers: JSON_TYPE,
      body: `{"companyId":"${companyId}",${token}:1}`,
      status: 400,
    },
    { name: 'unknown path', method: 'GET', url: `/api/nothing?${q({ key: token })}`, status: 404 },
    { name: 'unsupported method', method: 'PUT', url: isAccount(token), status: 405 },
    {
      name: 'text body',
      method: 'POST',
      url: '/api/is-account',
      headers: { 'content-type': 'text/plain' },
      body: `key=${token}`,
      status: 415,
    },
    { name: 'query over 8 KiB', method: 'GET', url: `${isAccount(token)}&pad=${'x'.repeat(9_000)}`, status: 413 },
  ];
}

/** Also wrong tokens: of expired or replaced keys. */
const isAccountProbe = (name: string, companyId: string, email: string, token: string, status: number): Probe => ({
  name,
  method: 'GET',
  url: `/api/is-account?${new URLSearchParams({ companyId, email, key: token })}`,
  status,
});

describe('no key or token in any log', () => {
  test('a full run of serve (debug log, request log) and the CLI', { timeout: 180_000 }, async () => {
    const secrets = new Secrets();
    for (const [i, form] of MASTER_KEY_FORMS.entries()) secrets.add(`master key form ${i}`, form);
    const db = freshDb();
    const env = { SWITCHBOARD_MASTER_KEY: MASTER_KEY_FORMS[0] };
    // Everything the CLI writes to stderr, and the stdout of commands that must not show keys.
    const quiet: string[] = [];
    const cli = async (args: string[], extra: Record<string, string> = {}, keysOnStdout = false) => {
      // `call` talks to the server and takes no --db.
      const result: CliResult = await runCli(args, { db: args[0] === 'call' ? false : db, env: { ...env, ...extra } });
      quiet.push(result.stderr);
      if (!keysOnStdout) quiet.push(result.stdout);
      return result;
    };
    const json = async <T>(args: string[], keysOnStdout = false): Promise<T> => {
      const result = await cli(args, {}, keysOnStdout);
      expect(result, args.join(' ')).toMatchObject({ code: 0, stderr: '' });
      return JSON.parse(result.stdout) as T;
    };

    type Created = { companyId: string; apiKey: string };
    const acme = await json<Created>(['company', 'create', '--name', 'Acme'], true);
    const md5 = await json<Created>(['company', 'create', '--name', 'Md5', '--hash', 'md5'], true);
    secrets.add('acme key', acme.apiKey);
    secrets.add('md5 key', md5.apiKey);
    // The scan finds what it looks for.
    expect(secrets.foundIn(`{"apiKey":"${acme.apiKey.toUpperCase()}"}`)).toEqual(['acme key']);
    const anna = await json<{ talkToMeId: string }>([
      'account',
      'create',
      '--email',
      'anna@acme.example',
      '--name',
      'Anna',
      '--company',
      acme.companyId,
      '--verified',
    ]);
    await json(['account', 'create', '--email', 'ben@acme.example', '--name', 'Ben', '--company', acme.companyId]);
    await json(['account', 'create', '--email', 'carla@md5.example', '--name', 'Carla', '--company', md5.companyId]);

    const server = await startServer(db, {
      ...env,
      SWITCHBOARD_LOG_LEVEL: 'debug',
      SWITCHBOARD_LOG_REQUESTS: '1',
    });
    const statuses: [string, number, number][] = [];
    const send = async (probe: Probe) => {
      const response = await fetch(`${server.baseUrl}${probe.url}`, {
        method: probe.method,
        headers: probe.headers,
        body: probe.body,
      });
      await response.arrayBuffer();
      statuses.push([probe.name, response.status, probe.status]);
    };
    try {
      const now = new Date();
      const acmeToken = secrets.addTokens('acme', acme.apiKey, acme.companyId, 'sha256', now);
      const md5Token = secrets.addTokens('md5', md5.apiKey, md5.companyId, 'md5', now);
      const printed = await cli(['token', acme.companyId], {}, true);
      expect(printed.stdout.trim()).toBe(acmeToken);
      const basic = secrets.add('basic', Buffer.from(`${acme.companyId}:${acme.apiKey}`).toString('base64'));
      const wrongToken = secrets.add('wrong token', randomBytes(32).toString('hex'));
      const date = now.toISOString().slice(0, 10);
      const common = { email: 'anna@acme.example', other: 'ben@acme.example', talkToMeId: anna.talkToMeId, date };
      for (const probe of probes({
        ...common,
        companyId: acme.companyId,
        token: acmeToken,
        apiKey: acme.apiKey,
        otherToken: md5Token,
        wrongToken,
        basic,
      })) {
        await send(probe);
      }
      await send(isAccountProbe('md5 company', md5.companyId, 'carla@md5.example', md5Token, 200));

      // Rotation with a grace period: both keys work; without: only the newest.
      const graced = await json<Created>(['company', 'rotate-key', acme.companyId, '--grace', '24h'], true);
      const gracedToken = secrets.addTokens(
        'graced',
        secrets.add('graced key', graced.apiKey),
        acme.companyId,
        'sha256',
        now,
      );
      await send(isAccountProbe('old key in grace', acme.companyId, common.email, acmeToken, 200));
      await send(isAccountProbe('new key', acme.companyId, common.email, gracedToken, 200));
      const rotated = await json<Created>(['company', 'rotate-key', acme.companyId], true);
      const rotatedToken = secrets.addTokens(
        'rotated',
        secrets.add('rotated key', rotated.apiKey),
        acme.companyId,
        'sha256',
        now,
      );
      await send(isAccountProbe('replaced key', acme.companyId, common.email, gracedToken, 403));
      await send(isAccountProbe('oldest key', acme.companyId, common.email, acmeToken, 403));
      await send(isAccountProbe('newest key', acme.companyId, common.email, rotatedToken, 200));

      // The CLI's own client: key from the environment, and a wrong one on the command line.
      const called = await cli(
        ['call', 'is-account', '--url', server.baseUrl, '--company', acme.companyId, '-p', 'email=anna@acme.example'],
        { SWITCHBOARD_API_KEY: rotated.apiKey },
      );
      expect(called).toMatchObject({ code: 0, stderr: '' });
      const wrongKey = secrets.add('wrong key', randomBytes(32).toString('hex'));
      const refused = await cli([
        'call',
        'do-not-disturb',
        '--url',
        server.baseUrl,
        '--company',
        acme.companyId,
        '--key',
        wrongKey,
        '-p',
        'accountEmail=anna@acme.example',
      ]);
      expect(refused).toMatchObject({
        code: 1,
        stderr: 'switchboard: do-not-disturb answered 403: Invalid authentication.\n',
      });

      // Commands that show companies and their history, and the dump (which holds sealed keys only).
      await json(['company', 'list']);
      await json(['company', 'show', acme.companyId]);
      await json(['audit', '--limit', '100']);
      const dump = await cli(['export']);
      expect(dump.code).toBe(0);
      expect(dump.stdout).toContain('"api_key":"enc:v1:');
      expect((await cli(['company', 'rotate-key', acme.companyId, '--grace', 'soon'])).code).toBe(1);
      expect((await cli(['token', 'UNKNOWN'])).code).toBe(1);
    } finally {
      server.child.kill('SIGTERM');
      if (server.child.exitCode === null) await once(server.child, 'exit');
    }

    expect(statuses.filter(([, got, wanted]) => got !== wanted)).toEqual([]);
    const log = server.output();
    // The logs were really on: a line per request in and out, with the key parameter redacted.
    const lines = log.split('\n').filter((line) => line.startsWith('{'));
    expect(lines.filter((line) => line.includes('"incoming request"')).length).toBeGreaterThanOrEqual(statuses.length);
    expect(lines.filter((line) => line.includes('"request completed"')).length).toBeGreaterThanOrEqual(statuses.length);
    expect(log).toContain('key=[redacted]');

    expect({ server: secrets.foundIn(log), cli: secrets.foundIn(quiet.join('\n')) }).toEqual({ server: [], cli: [] });
    // Not even a sealed key reaches a log (the dump, on stdout of export, is the only place for them).
    expect(log).not.toContain('enc:v1:');
  });
});

describe('no key or token in the in-process log at level trace', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function captureStdout(): string[] {
    const chunks: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    });
    return chunks;
  }

  test.each([
    ['plain', undefined],
    ['encrypted', createKeyring(MASTER_KEY)],
  ] as const)('keys %s', async (_name, keyring) => {
    const chunks = captureStdout();
    const { app, store, setNow } = await buildTestApp({ logLevel: 'trace', logRequests: true }, NOON, { keyring });
    const secrets = new Secrets();
    for (const [i, form] of MASTER_KEY_FORMS.entries()) secrets.add(`master key form ${i}`, form);
    const acme = await makeCompany(store);
    const md5 = await makeCompany(store, { hash: 'md5' });
    secrets.add('acme key', acme.apiKey);
    secrets.add('md5 key', md5.apiKey);
    const anna = await makeAccount(store, { companyId: acme.companyId, email: 'anna@acme.example', verified: true });
    await makeAccount(store, { companyId: acme.companyId, email: 'ben@acme.example' });
    const acmeToken = secrets.addTokens('acme', acme.apiKey, acme.companyId, 'sha256', NOON);
    const md5Token = secrets.addTokens('md5', md5.apiKey, md5.companyId, 'md5', NOON);

    const statuses: [string, number, number][] = [];
    const send = async (probe: Probe) => {
      const response = await app.inject({
        method: probe.method,
        url: probe.url,
        headers: probe.headers,
        ...(probe.body !== undefined && { payload: probe.body }),
      });
      statuses.push([probe.name, response.statusCode, probe.status]);
    };
    for (const probe of probes({
      companyId: acme.companyId,
      token: acmeToken,
      apiKey: acme.apiKey,
      email: 'anna@acme.example',
      other: 'ben@acme.example',
      talkToMeId: anna.talkToMeId,
      otherToken: md5Token,
      wrongToken: secrets.add('wrong token', randomBytes(32).toString('hex')),
      basic: secrets.add('basic', Buffer.from(`${acme.companyId}:${acme.apiKey}`).toString('base64')),
      date: '2023-08-10',
    })) {
      await send(probe);
    }

    const graced = await rotateCompanyKey(store.db, acme.companyId, { actor: 'test', now: NOON }, { grace: '30m' });
    secrets.add('graced key', graced.apiKey);
    const gracedToken = secrets.addTokens('graced', graced.apiKey, acme.companyId, 'sha256', NOON);
    await send(isAccountProbe('old key in grace', acme.companyId, 'anna@acme.example', acmeToken, 200));
    setNow(new Date(NOON.getTime() + DAY_MS / 48));
    await send(isAccountProbe('old key after grace', acme.companyId, 'anna@acme.example', acmeToken, 403));
    await send(isAccountProbe('new key', acme.companyId, 'anna@acme.example', gracedToken, 200));

    // A company row as the repository gives it (keys opened) is redacted wherever it is logged.
    app.log.info({ company: await findCompany(store.db, acme.companyId) }, 'company with its keys');

    vi.restoreAllMocks();
    expect(statuses.filter(([, got, wanted]) => got !== wanted)).toEqual([]);
    const log = chunks.join('');
    expect(log).toContain('"incoming request"');
    expect(log).toContain('"company with its keys"');
    expect(log).toContain('key=[redacted]');
    expect(secrets.foundIn(log)).toEqual([]);
    expect(log).not.toContain('enc:v1:');
  });
});
