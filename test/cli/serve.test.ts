import { execFile, execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { computeAccessToken, utcDay } from '../../src/domain/access-token.js';
import { localDate } from '../../src/domain/calendar.js';
import { findCompany } from '../../src/store/repositories/companies.js';
import { openStore } from '../../src/store/store.js';
import { cliJson, freePort, freshDb, runCli, type Server, startServe } from './run-cli.js';

// Every CLI run is a process of its own (~0.3 s, several seconds when the machine is busy).
vi.setConfig({ testTimeout: 90_000, hookTimeout: 90_000 });

const JSON_TYPE = 'application/json; charset=utf-8';
const SAVED = { success: true, error: false, message: 'The changes have been saved' };
/** Four `curl` lines, one per endpoint. */
const CURL_LINES = /(^curl .*\n[\s\S]*){4}/m;

const HAS_CURL = (() => {
  try {
    execFileSync('sh', ['-c', 'command -v curl'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

interface CompanyJson {
  companyId: string;
  name: string;
  hash: string;
  timezone: string;
}

interface AccountJson {
  email: string;
  companyId: string | null;
  talkToMeId: string;
  verified: boolean;
  locked: boolean;
  dnd: boolean;
  awayFrom: string | null;
  awayUntil: string | null;
  substitution: string | null;
}

/** Splits a shell line into words: single and double quotes, backslash escapes outside quotes. */
function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line.charAt(i);
    if (char === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new Error(`unbalanced quote in ${line}`);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (char === '"') {
      let text = '';
      for (i++; i < line.length && line.charAt(i) !== '"'; i++) {
        if (line.charAt(i) === '\\' && '"\\$`'.includes(line.charAt(i + 1))) i++;
        text += line.charAt(i);
      }
      if (i >= line.length) throw new Error(`unbalanced quote in ${line}`);
      word = (word ?? '') + text;
    } else if (char === '\\') {
      word = (word ?? '') + line.charAt(++i);
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + char;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

interface CurlRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a printed `curl` line would send (the options the demo uses: -s, -X, -H, -d). */
function parseCurl(line: string): CurlRequest {
  const words = shellWords(line);
  expect(words[0]).toBe('curl');
  let url: string | undefined;
  let method: string | undefined;
  const headers: Record<string, string> = {};
  const data: string[] = [];
  for (let i = 1; i < words.length; i++) {
    const word = words[i] as string;
    const next = () => {
      const value = words[++i];
      if (value === undefined) throw new Error(`${word} without a value in ${line}`);
      return value;
    };
    if (word === '-s' || word === '--silent') continue;
    if (word === '-X' || word === '--request') method = next();
    else if (word === '-H' || word === '--header') {
      const header = next();
      const colon = header.indexOf(':');
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (word === '-d' || word === '--data') data.push(next());
    else if (word.startsWith('-')) throw new Error(`unexpected curl option ${word} in ${line}`);
    else if (url === undefined) url = word;
    else throw new Error(`two URLs in ${line}`);
  }
  if (url === undefined) throw new Error(`no URL in ${line}`);
  if (data.length === 0) return { url, method: method ?? 'GET', headers };
  headers['content-type'] ??= 'application/x-www-form-urlencoded';
  return { url, method: method ?? 'POST', headers, body: data.join('&') };
}

async function send(request: CurlRequest) {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
  });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, type: response.headers.get('content-type'), body };
}

/** Runs a printed line as pasted into bash, with the status code appended on its own line. */
function runInBash(line: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolvePromise, reject) => {
    execFile('bash', ['-c', `${line} -w '\\n%{http_code}'`], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`${line}\nfailed: ${error.message}\n${stderr}`));
        return;
      }
      const cut = stdout.lastIndexOf('\n');
      resolvePromise({ status: Number(stdout.slice(cut + 1)), body: JSON.parse(stdout.slice(0, cut)) });
    });
  });
}

function curlLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => line.startsWith('curl '));
}

/** The company's API key as the service sees it (the repository opens it if it is stored sealed). */
async function apiKeyOf(db: string, companyId: string): Promise<string> {
  const store = await openStore(db);
  try {
    const row = await findCompany(store.db, companyId);
    if (!row) throw new Error(`no company ${companyId} in ${db}`);
    return row.api_key;
  } finally {
    await store.close();
  }
}

describe('serve --demo on an empty database', () => {
  let db: string;
  let server: Server;
  let stdout: string;
  let lines: string[];
  let companyId: string;
  let printedToken: string;

  beforeAll(async () => {
    db = freshDb();
    server = await startServe(['--demo'], { db });
    stdout = await server.waitForStdout(CURL_LINES);
    lines = curlLines(stdout);
    companyId = /\b([A-Z0-9]{26})\b/.exec(stdout)?.[1] ?? '';
    printedToken = /\b([0-9a-f]{64})\b/.exec(stdout)?.[1] ?? '';
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  test('creates one demo company in Europe/Berlin and prints its id and today’s token', async () => {
    const companies = await cliJson<CompanyJson[]>(['company', 'list'], { db });
    expect(companies).toHaveLength(1);
    expect(companies[0]).toMatchObject({ companyId, hash: 'sha256', timezone: 'Europe/Berlin' });
    expect(stdout).toContain(`companyId: ${companyId}`);

    const apiKey = await apiKeyOf(db, companyId);
    const today = utcDay(Date.now());
    expect([today - 1, today].map((day) => computeAccessToken(apiKey, companyId, day, 'sha256'))).toContain(
      printedToken,
    );
    const token = await runCli(['token', companyId], { db });
    expect(token.stdout).toBe(`${printedToken}\n`);
  });

  test('prints one ready-to-paste curl line for each of the four endpoints of this server', () => {
    expect(lines).toHaveLength(4);
    const paths = lines.map((line) => new URL(parseCurl(line).url).pathname);
    expect(paths).toEqual(['/api/is-account', '/api/person-info', '/api/out-of-office', '/api/do-not-disturb']);
    for (const line of lines) expect(parseCurl(line).url.startsWith(`${server.baseUrl}/api/`)).toBe(true);
    // The authenticated lines carry the printed token.
    for (const index of [0, 2, 3]) expect(lines[index]).toContain(printedToken);
  });

  test('creates an account for each case and a channel', async () => {
    const accounts = await cliJson<AccountJson[]>(['account', 'list', '--company', companyId], { db });
    expect(accounts.every((account) => account.companyId === companyId)).toBe(true);
    expect(accounts.some((account) => account.verified && !account.locked)).toBe(true);
    expect(accounts.some((account) => !account.verified)).toBe(true);
    expect(accounts.some((account) => account.locked)).toBe(true);
    expect(accounts.some((account) => account.awayFrom !== null && account.substitution !== null)).toBe(true);
    expect(accounts.some((account) => account.dnd)).toBe(true);
    const talkToMeId = new URL(parseCurl(lines[1] as string).url).searchParams.get('talkToMeId');
    expect(accounts.map((account) => account.talkToMeId)).toContain(talkToMeId);

    const channels = await cliJson<{ companyId: string; members: string[] }[]>(
      ['channel', 'list', '--company', companyId],
      { db },
    );
    expect(channels.length).toBeGreaterThanOrEqual(1);
    expect(channels[0]?.members.length).toBeGreaterThanOrEqual(1);
  });

  test('every printed request, sent with fetch, answers 200 with "success": true', async () => {
    const [isAccount, personInfo, outOfOffice, doNotDisturb] = lines.map(parseCurl) as [
      CurlRequest,
      CurlRequest,
      CurlRequest,
      CurlRequest,
    ];
    expect(await send(isAccount)).toEqual({
      status: 200,
      type: JSON_TYPE,
      body: { success: true, error: false, exists: true, verified: true },
    });
    const person = await send(personInfo);
    expect(person).toMatchObject({ status: 200, type: JSON_TYPE, body: { success: true, error: false } });
    expect(person.body.talkToMe).toBe(new URL(personInfo.url).searchParams.get('talkToMeId'));
    expect(await send(outOfOffice)).toEqual({ status: 200, type: JSON_TYPE, body: SAVED });
    expect(await send(doNotDisturb)).toEqual({ status: 200, type: JSON_TYPE, body: SAVED });
  });

  test('the out-of-office line’s change shows in account show', async () => {
    const request = parseCurl(lines[2] as string);
    const params = new URLSearchParams(request.body);
    const email = params.get('accountEmail') as string;
    const awayFrom = params.get('awayFrom');
    expect(awayFrom).toBe(localDate(new Date(), 'Europe/Berlin'));
    expect(await cliJson(['account', 'show', email], { db })).toMatchObject({
      awayFrom,
      awayUntil: null,
      substitution: params.get('substitution'),
    });
  });

  test.skipIf(!HAS_CURL)('every printed line, pasted into bash, answers 200 with "success": true', async () => {
    for (const line of lines) {
      const { status, body } = await runInBash(line);
      expect(status).toBe(200);
      expect(body).toMatchObject({ success: true, error: false });
    }
  });

  test('SIGTERM stops the server with exit code 0; a restart with --demo adds no second company', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
    await expect(fetch(`${server.baseUrl}/api/person-info`)).rejects.toThrow();

    const again = await startServe(['--demo'], { db });
    try {
      await again.waitUntilReady();
      const companies = await cliJson<CompanyJson[]>(['company', 'list'], { db });
      expect(companies.map((company) => company.companyId)).toEqual([companyId]);
    } finally {
      expect(await again.stop('SIGTERM')).toBe(0);
    }
  });
});

describe('serve --demo on a database with companies', () => {
  test('creates no demo company', async () => {
    const db = freshDb();
    const own = await cliJson<CompanyJson>(['company', 'create', '--name', 'Own Company'], { db });
    const server = await startServe(['--demo'], { db });
    try {
      await server.waitUntilReady();
      const companies = await cliJson<CompanyJson[]>(['company', 'list'], { db });
      expect(companies.map((company) => company.companyId)).toEqual([own.companyId]);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });
});

describe('serve: port and host', () => {
  test('PORT and HOST come from the environment', async () => {
    const port = await freePort();
    const server = await startServe(['--demo'], {
      db: freshDb(),
      port,
      portFlag: false,
      host: '127.0.0.2',
      env: { PORT: String(port), HOST: '127.0.0.2' },
    });
    try {
      const stdout = await server.waitForStdout(CURL_LINES);
      const lines = curlLines(stdout);
      for (const line of lines) expect(parseCurl(line).url.startsWith(`http://127.0.0.2:${port}/api/`)).toBe(true);
      expect(await send(parseCurl(lines[1] as string))).toMatchObject({ status: 200, body: { success: true } });
      // Bound to HOST only.
      await expect(fetch(`http://127.0.0.1:${port}/api/person-info`)).rejects.toThrow();
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });

  test('--port and --host win over PORT and HOST', async () => {
    const port = await freePort();
    const otherPort = await freePort();
    const server = await startServe(['--host', '127.0.0.1', '--demo'], {
      db: freshDb(),
      port,
      env: { PORT: String(otherPort), HOST: '127.0.0.2' },
    });
    try {
      const stdout = await server.waitForStdout(CURL_LINES);
      for (const line of curlLines(stdout)) {
        expect(parseCurl(line).url.startsWith(`http://127.0.0.1:${port}/api/`)).toBe(true);
      }
      expect((await fetch(`http://127.0.0.1:${port}/api/person-info`)).status).toBe(400);
    } finally {
      expect(await server.stop('SIGTERM')).toBe(0);
    }
  });
});

describe('the CLI and a running server share one database file', () => {
  let db: string;
  let server: Server;
  let company: { companyId: string; apiKey: string };
  let talkToMeId: string;

  beforeAll(async () => {
    db = freshDb();
    company = await cliJson(['company', 'create', '--name', 'Shared Ltd.'], { db });
    const account = await cliJson<AccountJson>(
      [
        'account',
        'create',
        '--email',
        'shared@example.com',
        '--name',
        'Shared',
        '--company',
        company.companyId,
        '--verified',
      ],
      { db },
    );
    talkToMeId = account.talkToMeId;
    server = await startServe([], { db });
    await server.waitUntilReady();
  });

  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  const personInfo = async () => {
    const response = await fetch(`${server.baseUrl}/api/person-info?talkToMeId=${talkToMeId}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const isAccount = async (apiKey: string) => {
    const key = computeAccessToken(apiKey, company.companyId, utcDay(Date.now()), 'sha256');
    const query = new URLSearchParams({ companyId: company.companyId, email: 'shared@example.com', key });
    const response = await fetch(`${server.baseUrl}/api/is-account?${query}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  test('account update --lock makes the next person-info answer 404; --unlock and --name show at once', async () => {
    expect(await personInfo()).toMatchObject({
      status: 200,
      body: { success: true, name: 'Shared', talkToMe: talkToMeId },
    });

    await cliJson(['account', 'update', 'shared@example.com', '--lock'], { db });
    expect(await personInfo()).toMatchObject({ status: 404, body: { success: false, error: true } });

    await cliJson(['account', 'update', 'shared@example.com', '--unlock', '--name', 'Renamed'], { db });
    expect(await personInfo()).toMatchObject({
      status: 200,
      body: { success: true, name: 'Renamed', available: true },
    });
  });

  test('company rotate-key makes the old key’s token fail at once and the new one work', async () => {
    expect(await isAccount(company.apiKey)).toEqual({
      status: 200,
      body: { success: true, error: false, exists: true, verified: true },
    });
    const rotated = await cliJson<{ apiKey: string }>(['company', 'rotate-key', company.companyId], { db });
    expect(await isAccount(company.apiKey)).toEqual({
      status: 403,
      body: { success: false, error: true, message: 'Invalid authentication.' },
    });
    expect(await isAccount(rotated.apiKey)).toEqual({
      status: 200,
      body: { success: true, error: false, exists: true, verified: true },
    });
  });

  test('the server exits with code 0 on SIGTERM', async () => {
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
