import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import { inject } from 'vitest';
import { openStore, type Store } from '../src/store/store.js';

/**
 * The database the tests run on: vitest runs the suite once per dialect (see vitest.config.ts),
 * with SWITCHBOARD_TEST_DIALECT set to `sqlite` or `postgres`.
 */
export const TEST_DIALECT = process.env.SWITCHBOARD_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
export const TEST_PG = process.env.SWITCHBOARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Schemas are named after the test run (see test/global-setup.ts) and dropped when the whole run
 * ends, not after each file: Kysely's migrator lists every schema of the database, and fails when
 * one disappears under it, so no file may drop a schema while others migrate.
 */
const RUN = inject('testRun') ?? 'direct';

/** A PostgreSQL URL with a schema of its own, dropped when the test run ends. */
export function freshPostgresLocation(): string {
  const url = new URL(TEST_PG);
  url.searchParams.set('schema', `t_${RUN}_${randomBytes(6).toString('hex')}`);
  return url.toString();
}

/** A new, empty database location: a file in `dir` on SQLite, a fresh schema on PostgreSQL. */
export function testDatabaseLocation(dir: string, file = 'switchboard.db'): string {
  return TEST_DIALECT === 'postgres' ? freshPostgresLocation() : join(dir, file);
}

const TABLES = ['audit', 'channel_members', 'accounts', 'channels', 'companies'];
/** PostgreSQL schemas of this test file that no open store uses: emptied and reused, since migrating a new one costs ~150 ms. */
const idleSchemas: string[] = [];

/** A new, empty store: in memory on SQLite; on PostgreSQL a schema of this test file, emptied. */
export async function openTestStore(): Promise<Store> {
  if (TEST_DIALECT === 'sqlite') return openStore(':memory:');
  const idle = idleSchemas.pop();
  const location = idle ?? freshPostgresLocation();
  let store: Store | undefined;
  try {
    store = await openStore(location);
    if (idle) await sql.raw(`truncate ${TABLES.join(', ')} restart identity cascade`).execute(store.db);
  } catch (error) {
    // A test broke this schema on purpose (dropped a table, say): leave it and take a new one.
    await store?.close();
    if (!idle) throw error;
    return openTestStore();
  }
  const close = store.close;
  const opened = store;
  opened.close = async () => {
    await close();
    idleSchemas.push(location);
  };
  return opened;
}
