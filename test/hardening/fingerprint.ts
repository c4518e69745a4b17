import { createHash } from 'node:crypto';
import type { Store } from '../../src/store/store.js';

/**
 * A cheap summary of everything a request could change, for tests that compare before and after
 * thousands of times (a full `snapshot()` reads the whole audit trail): the row count of every
 * table, the highest audit id, and a hash of the rows of the companies and accounts (the only rows
 * the public API may change). Equal fingerprints mean that nothing was changed, added or removed,
 * short of an in-place edit of a channel or an old audit entry, which no code path of the API makes.
 */
export interface Fingerprint {
  companies: number;
  accounts: number;
  channels: number;
  members: number;
  audit: number;
  maxAuditId: number;
  rows: string;
}

export async function fingerprint(store: Store): Promise<Fingerprint> {
  const db = store.db;
  const [counts, companies, accounts] = await Promise.all([
    db
      .selectNoFrom((eb) => [
        eb
          .selectFrom('companies')
          .select((e) => e.fn.countAll().as('n'))
          .as('companies'),
        eb
          .selectFrom('accounts')
          .select((e) => e.fn.countAll().as('n'))
          .as('accounts'),
        eb
          .selectFrom('channels')
          .select((e) => e.fn.countAll().as('n'))
          .as('channels'),
        eb
          .selectFrom('channel_members')
          .select((e) => e.fn.countAll().as('n'))
          .as('members'),
        eb
          .selectFrom('audit')
          .select((e) => e.fn.countAll().as('n'))
          .as('audit'),
        eb
          .selectFrom('audit')
          .select((e) => e.fn.max('id').as('n'))
          .as('maxAuditId'),
      ])
      .executeTakeFirstOrThrow(),
    db.selectFrom('companies').selectAll().orderBy('id').execute(),
    db.selectFrom('accounts').selectAll().orderBy('id').execute(),
  ]);
  const rows = createHash('sha256')
    .update(JSON.stringify([companies, accounts]))
    .digest('hex');
  // PostgreSQL returns counts as text (bigint); SQLite as numbers.
  return {
    companies: Number(counts.companies),
    accounts: Number(counts.accounts),
    channels: Number(counts.channels),
    members: Number(counts.members),
    audit: Number(counts.audit),
    maxAuditId: Number(counts.maxAuditId ?? 0),
    rows,
  };
}
