import type { Kysely } from 'kysely';
import type { Capabilities } from './dialect/capabilities.js';
import {
  describePostgresUrl,
  isPostgresUrl,
  openPostgresDatabase,
  parsePostgresUrl,
  postgresCapabilities,
} from './dialect/postgres.js';
import { openSqliteDatabase, sqliteCapabilities } from './dialect/sqlite.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema/index.js';

export type Db = Kysely<Database>;

export interface Store {
  db: Db;
  capabilities: Capabilities;
  /** Where the data lives, for messages (never contains a password). */
  location: string;
  /** The PostgreSQL schema that holds Switchboard's tables (SQLite has none). */
  schema?: string;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE = './data/switchboard.db';

export interface StoreOptions {
  /** PostgreSQL connections per process (SQLite has one). */
  poolSize?: number;
}

/**
 * Opens the database at `location` and brings its schema up to date: a SQLite file path (or
 * `:memory:`), or a `postgres://` URL.
 */
export async function openStore(location: string = DEFAULT_DATABASE, options: StoreOptions = {}): Promise<Store> {
  const postgres = isPostgresUrl(location);
  const db = postgres
    ? await openPostgresDatabase(location, { poolSize: options.poolSize ?? 10 })
    : openSqliteDatabase(location).db;
  const store: Store = {
    db,
    capabilities: postgres ? postgresCapabilities : sqliteCapabilities,
    location: postgres ? describePostgresUrl(location) : location,
    schema: postgres ? (parsePostgresUrl(location).schema ?? 'public') : undefined,
    close: () => db.destroy(),
  };
  try {
    await migrateToLatest(store);
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
