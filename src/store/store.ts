import type { Kysely } from 'kysely';
import type { Capabilities } from './dialect/capabilities.js';
import { describePostgresUrl, isPostgresUrl, parsePostgresUrl } from './dialect/postgres-url.js';
import { openSqliteDatabase, sqliteCapabilities } from './dialect/sqlite.js';
import { encryptStoredKeys } from './encrypt-keys.js';
import { createKeyring, type Keyring, withKeyring } from './keyring.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema/index.js';
import { batchWrites } from './write-batch.js';

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
  /** How companies' API keys are stored: sealed under a master key, or as they are (the default). */
  keyring?: Keyring;
}

/**
 * Opens the database at `location` and brings its schema up to date: a SQLite file path (or
 * `:memory:`), or a `postgres://` URL. Then the stored API keys must suit `options.keyring`: sealed
 * keys need the master key they were sealed with, and plain keys are sealed if there is one.
 */
export async function openStore(location: string = DEFAULT_DATABASE, options: StoreOptions = {}): Promise<Store> {
  const postgres = isPostgresUrl(location);
  // The PostgreSQL driver is loaded only for a PostgreSQL database: it costs SQLite's start ~70 ms.
  const pg = postgres ? await import('./dialect/postgres.js') : undefined;
  const opened = pg
    ? await pg.openPostgresDatabase(location, { poolSize: options.poolSize ?? 10 })
    : openSqliteDatabase(location).db;
  const db = withKeyring(opened, options.keyring ?? createKeyring());
  if (!pg) batchWrites(db);
  const store: Store = {
    db,
    capabilities: pg ? pg.postgresCapabilities : sqliteCapabilities,
    location: postgres ? describePostgresUrl(location) : location,
    schema: postgres ? (parsePostgresUrl(location).schema ?? 'public') : undefined,
    close: () => db.destroy(),
  };
  try {
    await migrateToLatest(store);
    await encryptStoredKeys(store.db, new Date());
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
