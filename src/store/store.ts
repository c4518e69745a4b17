import type { Kysely } from 'kysely';
import type { Capabilities } from './dialect/capabilities.js';
import { openSqliteDatabase, sqliteCapabilities } from './dialect/sqlite.js';
import { migrateToLatest } from './migrate.js';
import type { Database } from './schema/index.js';

export type Db = Kysely<Database>;

export interface Store {
  db: Db;
  capabilities: Capabilities;
  /** Where the data lives, for messages (never contains a password). */
  location: string;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE = './data/switchboard.db';

/** Opens the database at `location` (a SQLite file path or `:memory:`) and brings its schema up to date. */
export async function openStore(location: string = DEFAULT_DATABASE): Promise<Store> {
  const { db } = openSqliteDatabase(location);
  const store: Store = {
    db,
    capabilities: sqliteCapabilities,
    location,
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
