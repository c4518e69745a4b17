import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { NOON } from '../helper.js';
import { world } from './world.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILT = join(ROOT, 'dist/client');
const run = promisify(execFile);

/** Every module specifier a built file imports or re-exports, statically or dynamically. */
function specifiers(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1] ?? ''));
}

test('the built client imports only node: modules and its own files (run `npm run build` first)', () => {
  expect(existsSync(join(BUILT, 'index.js')), 'dist/client/index.js is missing: run npm run build').toBe(true);
  const files = readdirSync(BUILT).filter((name) => name.endsWith('.js'));
  const own = new Set(files.map((name) => `./${name}`));
  const imported = files.flatMap((name) => specifiers(readFileSync(join(BUILT, name), 'utf8')));
  expect(imported).toContain('node:crypto');
  expect(imported).toContain('./client.js');
  for (const specifier of imported) {
    expect(specifier.startsWith('node:') || own.has(specifier), `dist/client imports ${specifier}`).toBe(true);
  }
});

test("`import { SwitchboardClient } from 'switchboard/client'` resolves and calls a server", async () => {
  const w = await world();
  const { companyId, apiKey } = w.company;
  const script = `
    import { SwitchboardClient, SwitchboardApiError } from 'switchboard/client';
    const client = new SwitchboardClient({ baseUrl: process.argv[1], companyId: process.argv[2], apiKey: process.argv[3],
      now: () => new Date(${JSON.stringify(NOON.toISOString())}) });
    const answer = await client.isAccount(process.argv[4]);
    const failure = await client.isAccount('').catch((error) => error);
    console.log(JSON.stringify({ answer, isApiError: failure instanceof SwitchboardApiError, status: failure.status }));
  `;
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', script, w.baseUrl, companyId, apiKey, w.anna.email],
    { cwd: ROOT, encoding: 'utf8', timeout: 20_000 },
  );
  expect(JSON.parse(stdout)).toEqual({
    answer: { success: true, error: false, exists: true, verified: true },
    isApiError: true,
    status: 400,
  });
});
