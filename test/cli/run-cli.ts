import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { testDatabaseLocation } from '../databases.js';

/** The CLI entry point: it runs the compiled output (`npm run build` first). */
export const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/switchboard.js');

/** A fresh directory for each test file (vitest evaluates this module once per file), removed after it. */
export const TEMP_DIR = mkdtempSync(join(tmpdir(), 'switchboard-cli-'));

/** The test file's default database. */
export const DEFAULT_DB = join(TEMP_DIR, 'switchboard.db');

let databases = 0;

/**
 * Another empty database for tests that need a clean slate, of the dialect the suite runs on (see
 * vitest.config.ts): a file in the test file's directory on SQLite, a schema of its own on PostgreSQL.
 */
export function freshDb(): string {
  return testDatabaseLocation(join(TEMP_DIR, `db-${++databases}`));
}

/** Another empty SQLite database file, for tests of where the CLI puts its file. */
export function freshDbFile(): string {
  return join(TEMP_DIR, `db-${++databases}`, 'switchboard.db');
}

/** The actor the CLI records in the audit trail for this machine's user. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}

export interface CliResult {
  stdout: string;
  stderr: string;
  /** The exit code (null if killed by a signal). */
  code: number | null;
}

export interface CliOptions {
  /** Passed as `--db`; `false` passes no `--db` (then SWITCHBOARD_DB or the default applies). */
  db?: string | false;
  /** Extra environment; `undefined` values remove a variable. */
  env?: Record<string, string | undefined>;
  /** Working directory (default: the test file's temporary directory). */
  cwd?: string;
}

/** Variables of the test runner's environment that would change what the CLI does. */
const CLEARED = [
  'SWITCHBOARD_DB',
  'PORT',
  'HOST',
  'SWITCHBOARD_AUTH_DAY_WINDOW',
  'SWITCHBOARD_LOG_LEVEL',
  'SWITCHBOARD_LOG_REQUESTS',
  'SWITCHBOARD_DEBUG',
  'SWITCHBOARD_WORKERS',
  'SWITCHBOARD_DB_POOL_SIZE',
  'SWITCHBOARD_MASTER_KEY',
];

function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of CLEARED) delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

function commandLine(args: string[], db: string | false | undefined): string[] {
  const location = db === undefined ? DEFAULT_DB : db;
  return location === false ? [CLI, ...args] : [CLI, ...args, '--db', location];
}

/** Runs `switchboard <args>` to its end. */
export function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      commandLine(args, options.db),
      { cwd: options.cwd ?? TEMP_DIR, env: environment(options.env), encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`switchboard ${args.join(' ')} did not finish: ${error.message}\n${stderr}`));
          return;
        }
        resolvePromise({ stdout, stderr, code: error ? (error.code as number) : 0 });
      },
    );
  });
}

/** Runs a command that must succeed and print JSON, and returns the parsed JSON. */
export async function cliJson<T = Record<string, unknown>>(args: string[], options: CliOptions = {}): Promise<T> {
  const result = await runCli(args, options);
  if (result.code !== 0 || result.stderr !== '') {
    throw new Error(`switchboard ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  }
  return JSON.parse(result.stdout) as T;
}

/** A port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePromise(port));
    });
  });
}

export interface Server {
  child: ChildProcess;
  port: number;
  baseUrl: string;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Waits until stdout matches. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Waits until the server answers HTTP requests. */
  waitUntilReady(timeoutMs?: number): Promise<void>;
  /** Sends a signal and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const running = new Set<ChildProcess>();

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
  rmSync(TEMP_DIR, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Starts `switchboard serve <args>` in the background, with `--port` of a free port unless `portFlag` is false.
 * `host` only sets where `baseUrl` and `waitUntilReady` look (default 127.0.0.1).
 */
export async function startServe(
  args: string[] = [],
  options: CliOptions & { port?: number; portFlag?: boolean; host?: string } = {},
): Promise<Server> {
  const port = options.port ?? (await freePort());
  const fullArgs = options.portFlag === false ? ['serve', ...args] : ['serve', '--port', String(port), ...args];
  const child = spawn(process.execPath, commandLine(fullArgs, options.db), {
    cwd: options.cwd ?? TEMP_DIR,
    env: environment(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code) => {
      running.delete(child);
      done(code);
    });
  });
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const baseUrl = `http://${options.host ?? '127.0.0.1'}:${port}`;

  return {
    child,
    port,
    baseUrl,
    stdout: () => out,
    stderr: () => err,
    async waitForStdout(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (gone()) throw new Error(`serve exited (${child.exitCode}) before printing ${pattern}:\n${out}\n${err}`);
        if (Date.now() > deadline) throw new Error(`serve did not print ${pattern} in time:\n${out}\n${err}`);
        await sleep(50);
      }
      return out;
    },
    async waitUntilReady(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (gone()) throw new Error(`serve exited (${child.exitCode}) before it was ready:\n${out}\n${err}`);
        try {
          await fetch(`${baseUrl}/api/person-info`);
          return;
        } catch {
          if (Date.now() > deadline) throw new Error(`serve was not ready in time:\n${out}\n${err}`);
          await sleep(100);
        }
      }
    },
    async stop(signal = 'SIGTERM') {
      if (!gone()) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
