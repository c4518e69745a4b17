import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll } from 'vitest';
import { openStore, type Store } from '../src/store/store.js';

/**
 * The database the tests run on: vitest runs the suite once per dialect (see vitest.config.ts),
 * with SWITCHBOARD_TEST_DIALECT set to `sqlite` or `postgres`.
 */
export const TEST_DIALECT = process.env.SWITCHBOARD_TEST_DIALECT === 'postgres' ? 'postgres' : 'sqlite';
export const TEST_PG = process.env.SWITCHBOARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

const schemas: string[] = [];

afterAll(async () => {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: TEST_PG });
  await client.connect();
  try {
    for (const schema of schemas.splice(0)) await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
});

/** A PostgreSQL URL with a schema of its own, dropped after the test file. */
export function freshPostgresLocation(): string {
  const schema = `t_${randomBytes(8).toString('hex')}`;
  schemas.push(schema);
  const url = new URL(TEST_PG);
  url.searchParams.set('schema', schema);
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
  const store = await openStore(location);
  if (idle) await sql.raw(`truncate ${TABLES.join(', ')} restart identity cascade`).execute(store.db);
  const close = store.close;
  store.close = async () => {
    await close();
    idleSchemas.push(location);
  };
  return store;
}
