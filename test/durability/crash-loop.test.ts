import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { computeAccessToken, utcDay } from '../../src/domain/access-token.js';
import { recentAudit } from '../../src/service/audit.js';
import { openStore } from '../../src/store/store.js';
import { TEST_DIALECT, testDatabaseLocation } from '../databases.js';
import { makeAccount, makeCompany } from '../factories.js';
import { startServer } from '../server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-crash-loop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CYCLES = 8;
const ACCOUNTS = 8;

test(`${CYCLES} kills with SIGKILL under write load lose no acknowledged write and leave an intact database`, async () => {
  const location = testDatabaseLocation(dir);
  const seed = await openStore(location);
  const company = await makeCompany(seed);
  const emails: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) emails.push((await makeAccount(seed, { companyId: company.companyId })).email);
  await seed.close();
  const token = computeAccessToken(company.apiKey, company.companyId, utcDay(Date.now()), company.hash);

  // Every write carries a day of its own; an acknowledged write must be in the audit trail.
  const acknowledged: { email: string; day: string }[] = [];
  let serial = 0;
  for (let cycle = 0; cycle < CYCLES; cycle++) {
    const server = await startServer(location);
    let killed = false;
    const writer = async (email: string) => {
      while (!killed) {
        const day = new Date(Date.UTC(2040, 0, 1) + serial++ * 86_400_000).toISOString().slice(0, 10);
        const body = new URLSearchParams({ companyId: company.companyId, accountEmail: email, awayFrom: day });
        try {
          const response = await fetch(`${server.baseUrl}/api/out-of-office`, {
            method: 'POST',
            body,
            headers: { authorization: token },
          });
          if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`);
          acknowledged.push({ email, day });
        } catch (error) {
          if (killed) return;
          throw error;
        }
      }
    };
    const writers = emails.map(writer);
    await new Promise((resolve) => setTimeout(resolve, 150 + cycle * 40));
    server.child.kill('SIGKILL');
    killed = true;
    await once(server.child, 'exit');
    await Promise.all(writers);
  }
  expect(acknowledged.length).toBeGreaterThan(CYCLES * 5);

  if (TEST_DIALECT === 'sqlite') {
    const raw = new SQLite(location);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    raw.close();
  }
  const check = await openStore(location);
  try {
    const audit = await recentAudit(check.db, { companyId: company.companyId, limit: 10_000 });
    const recorded = new Set(
      audit
        .filter((entry) => entry.action === 'account.absence')
        .map((entry) => `${entry.subject}|${(entry.after as { away_from: string }).away_from}`),
    );
    const missing = acknowledged.filter(({ email, day }) => !recorded.has(`account:${email}|${day}`));
    expect(missing).toEqual([]);
  } finally {
    await check.close();
  }
});
