import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, expect, test } from 'vitest';
import { computeAccessToken, utcDay } from '../../src/domain/access-token.js';
import { getAccount } from '../../src/service/accounts.js';
import { recentAudit } from '../../src/service/audit.js';
import { openStore } from '../../src/store/store.js';
import { makeAccount, makeCompany } from '../factories.js';
import { startServer } from '../server-process.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ACCOUNTS = 20;
const WRITES_PER_ACCOUNT = 15;

/** The i-th write of an account sets this single-day absence, so the stored day tells which write won. */
function dayOf(write: number): string {
  return new Date(Date.UTC(2030, 0, 1 + write)).toISOString().slice(0, 10);
}

test('every acknowledged write survives kill -9 of the server', async () => {
  const db = join(dir, 'switchboard.db');
  const seed = await openStore(db);
  const company = await makeCompany(seed);
  const emails: string[] = [];
  for (let i = 0; i < ACCOUNTS; i++) emails.push((await makeAccount(seed, { companyId: company.companyId })).email);
  await seed.close();

  const server = await startServer(db);
  const token = computeAccessToken(company.apiKey, company.companyId, utcDay(Date.now()), company.hash);
  const acknowledged = new Map<string, number>();
  const inFlight = new Map<string, number>();
  let killed = false;

  // Each account gets its writes one after the other; the accounts write concurrently.
  const writer = async (email: string) => {
    for (let write = 0; write < WRITES_PER_ACCOUNT && !killed; write++) {
      inFlight.set(email, write);
      const body = new URLSearchParams({
        companyId: company.companyId,
        accountEmail: email,
        awayFrom: dayOf(write),
        awayUntil: dayOf(write),
      });
      try {
        const response = await fetch(`${server.baseUrl}/api/out-of-office`, {
          method: 'POST',
          body,
          headers: { authorization: token },
        });
        if (response.status === 200 && !killed) acknowledged.set(email, write);
        expect(response.status).toBe(200);
      } catch {
        return; // the connection died with the server
      }
    }
  };
  const writers = emails.map(writer);
  // Kill in the middle of the load, right after an answer, with other writes still in flight.
  while (
    acknowledged.size < ACCOUNTS ||
    [...acknowledged.values()].reduce((a, b) => a + b, 0) < (ACCOUNTS * WRITES_PER_ACCOUNT) / 2
  ) {
    await new Promise((resolve) => setImmediate(resolve));
  }
  server.child.kill('SIGKILL');
  killed = true;
  await once(server.child, 'exit');
  await Promise.allSettled(writers);

  const raw = new SQLite(db);
  expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
  raw.close();
  const reopened = await openStore(db);
  try {
    let total = 0;
    for (const email of emails) {
      const stored = await getAccount(reopened.db, email);
      const acked = acknowledged.get(email) ?? -1;
      total += acked + 1;
      // The stored write is the last acknowledged one, or the one in flight when the server died.
      const candidates = [dayOf(acked), dayOf(inFlight.get(email) ?? acked)];
      expect(candidates).toContain(stored.awayFrom);
    }
    const audit = await recentAudit(reopened.db, { companyId: company.companyId, limit: 10_000 });
    expect(audit.filter((entry) => entry.action === 'account.absence').length).toBeGreaterThanOrEqual(total);
  } finally {
    await reopened.close();
  }
});
