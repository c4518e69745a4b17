import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { isPostgresUrl } from './dialect/postgres-url.js';
import type { Store } from './store.js';
import { exportDump } from './transfer.js';

export type BackupFormat = 'sqlite' | 'dump';

/**
 * A consistent copy of the database while it serves. SQLite: the online backup API into a new
 * SQLite file (restore by copying it in place while the server is stopped). PostgreSQL: a dump of
 * one repeatable-read snapshot (restore with `switchboard import` into a new database).
 */
export async function backupDatabase(store: Store, location: string, destination: string): Promise<BackupFormat> {
  if (existsSync(destination)) throw new Error(`${destination} exists already: choose a new file.`);
  if (!isPostgresUrl(location)) {
    // A connection of its own: the backup API copies page by page and sees one consistent state.
    const source = new SQLite(location, { fileMustExist: true, timeout: 5_000 });
    try {
      await source.backup(destination);
    } finally {
      source.close();
    }
    return 'sqlite';
  }
  const file = createWriteStream(destination, { flags: 'wx', mode: 0o600 });
  await store.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      for await (const line of exportDump(trx, new Date())) {
        if (!file.write(`${JSON.stringify(line)}\n`)) await once(file, 'drain');
      }
    });
  file.end();
  await once(file, 'finish');
  return 'dump';
}
