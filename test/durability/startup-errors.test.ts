import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { CLI } from '../server-process.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'switchboard-startup-'));
afterAll(() => {
  spawnSync('chattr', ['-i', join(dir, 'immutable.db')]);
  rmSync(dir, { recursive: true, force: true });
});

/** `serve` on a database that cannot be used: exit code 1 and one clear line, no stack trace. */
async function serveFails(db: string): Promise<string> {
  const result = await run(process.execPath, [CLI, 'serve', '--db', db, '--port', '0'], { timeout: 15_000 }).then(
    () => ({ code: 0, stderr: '' }),
    (error: { code: number; stderr: string }) => error,
  );
  expect(result.code).toBe(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  return result.stderr.trim();
}

// Runs as root in CI, where permissions do not stop writes; an immutable file does.
const chattr = spawnSync('chattr', ['--help']).error === undefined;

describe('a database that cannot be used stops the start with a clear error', () => {
  test('a folder that cannot be created', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    expect(await serveFails(join(file, 'switchboard.db'))).toBe(
      `switchboard: Cannot use the SQLite database ${join(file, 'switchboard.db')}: its folder cannot be created (part of the path is a file).`,
    );
  });

  test('a file that is not a database', async () => {
    const file = join(dir, 'not-a-database.db');
    writeFileSync(file, 'this is not SQLite, but it is long enough to be read as a header page '.repeat(20));
    expect(await serveFails(file)).toBe(
      `switchboard: Cannot use the SQLite database ${file}: the file is not a SQLite database.`,
    );
  });

  test.skipIf(!chattr)('a read-only database file', async () => {
    const file = join(dir, 'immutable.db');
    await run(process.execPath, [CLI, 'migrate', '--db', file]);
    rmSync(`${file}-wal`, { force: true });
    rmSync(`${file}-shm`, { force: true });
    const made = spawnSync('chattr', ['+i', file]);
    if (made.status !== 0) return; // the file system has no immutable flag
    expect(await serveFails(file)).toBe(
      `switchboard: Cannot use the SQLite database ${file}: it is read-only. Switchboard must be able to write it and to create its -wal and -shm files beside it.`,
    );
  });

  test('an unreachable PostgreSQL server', async () => {
    const message = await serveFails('postgres://postgres@127.0.0.1:1/none');
    expect(message).toMatch(
      /^switchboard: Cannot use the PostgreSQL database postgres:\/\/postgres@127\.0\.0\.1:1\/none: .*ECONNREFUSED/,
    );
  });
});
