import { Migrator } from 'kysely';
import { migrations } from './migrations/index.js';
import type { Store } from './store.js';

/** SQLSTATE invalid_schema_name. */
const SCHEMA_VANISHED = '3F000';
const ATTEMPTS = 3;

/** Applies every pending migration; the same call serves `serve`, `migrate` and the tests. */
export async function migrateToLatest(store: Pick<Store, 'db' | 'capabilities' | 'schema'>): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    // Kysely looks for its migration tables in every schema unless told which one is ours.
    migrationTableSchema: store.schema,
    provider: { getMigrations: async () => migrations(store.capabilities) },
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return;
    // Kysely's PostgreSQL introspection reads every schema of the database; one that another client
    // drops at that moment fails the whole read. Nothing was applied then, so trying again is safe.
    const vanished = (error as { code?: unknown }).code === SCHEMA_VANISHED && !results?.length;
    if (vanished && attempt < ATTEMPTS) continue;
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? ''} failed: ${String(error)}`, { cause: error });
  }
}
