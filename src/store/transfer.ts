import { encryptStoredKeys } from './encrypt-keys.js';
import type { Database } from './schema/index.js';
import type { Db, Store } from './store.js';

/**
 * Moving a whole database to another (`switchboard export` / `import`), e.g. from SQLite to
 * PostgreSQL: JSON lines, a header first, then every row of every table as stored, parents before
 * children. The dump holds the companies' API keys as stored: keep it as secret as the database.
 * Keys encrypted under a master key stay encrypted, so such a dump imports and works only with
 * the same SWITCHBOARD_MASTER_KEY.
 */
export const DUMP_FORMAT = 'switchboard-dump';
export const DUMP_VERSION = 1;

type Table = keyof Database;

/** Tables in an order that satisfies every foreign key (accounts' substitutes aside, see below). */
const TABLES: readonly Table[] = ['companies', 'channels', 'accounts', 'channel_members', 'audit'];
const KEYS: Record<Table, readonly string[]> = {
  companies: ['id'],
  channels: ['id'],
  accounts: ['id'],
  channel_members: ['channel_id', 'account_id'],
  audit: ['id'],
};
const PAGE = 1_000;

export interface DumpHeader {
  type: typeof DUMP_FORMAT;
  version: number;
  exportedAt: string;
}

export type DumpLine = DumpHeader | { type: 'row'; table: Table; row: Record<string, unknown> };

/** Every row of the database, page by page so that a large database never sits in memory. */
export async function* exportDump(db: Db, now: Date): AsyncGenerator<DumpLine> {
  yield { type: DUMP_FORMAT, version: DUMP_VERSION, exportedAt: now.toISOString() };
  for (const table of TABLES) {
    const keys = KEYS[table];
    for (let offset = 0; ; offset += PAGE) {
      let query = db.selectFrom(table).selectAll();
      for (const key of keys) query = query.orderBy(key as never);
      const rows = (await query.limit(PAGE).offset(offset).execute()) as Record<string, unknown>[];
      for (const row of rows) yield { type: 'row', table, row: normalize(row) };
      if (rows.length < PAGE) break;
    }
  }
}

/** Numbers from either database come out as numbers (PostgreSQL's driver may give bigint ids as text). */
function normalize(row: Record<string, unknown>): Record<string, unknown> {
  return 'id' in row && typeof row.id === 'string' && /^\d+$/.test(row.id) ? { ...row, id: Number(row.id) } : row;
}

/**
 * Loads a dump into an empty database in one transaction: all of it, or nothing. Substitutes
 * refer to other accounts, so accounts go in first without them and get them at the end. The
 * imported API keys must suit the store's keyring, as when a store opens: encrypted keys need
 * the master key of the dump's database, and plain keys are encrypted if the store has one.
 */
export async function importDump(store: Store, lines: AsyncIterable<DumpLine>): Promise<Record<Table, number>> {
  const counts = Object.fromEntries(TABLES.map((table) => [table, 0])) as Record<Table, number>;
  await store.db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('companies').select('id').limit(1).execute();
    if (existing.length > 0) throw new Error('The target database is not empty: import needs a new database.');
    const substitutes: { id: string; substitute_account_id: unknown }[] = [];
    let header = false;
    for await (const line of lines) {
      if (!header) {
        if (line.type !== DUMP_FORMAT || line.version !== DUMP_VERSION)
          throw new Error('Not a Switchboard dump of version 1.');
        header = true;
        continue;
      }
      if (line.type !== 'row' || !TABLES.includes(line.table)) throw new Error('Unexpected line in the dump.');
      let row = line.row;
      if (line.table === 'accounts' && row.substitute_account_id != null) {
        substitutes.push({ id: String(row.id), substitute_account_id: row.substitute_account_id });
        row = { ...row, substitute_account_id: null };
      }
      await trx
        .insertInto(line.table)
        .values(row as never)
        .execute();
      counts[line.table]++;
    }
    if (!header) throw new Error('The dump is empty.');
    for (const { id, substitute_account_id } of substitutes) {
      await trx
        .updateTable('accounts')
        .set({ substitute_account_id: String(substitute_account_id) })
        .where('id', '=', id)
        .execute();
    }
    await store.capabilities.followInsertedIds(trx, 'audit');
    await encryptStoredKeys(trx, new Date());
  });
  return counts;
}
