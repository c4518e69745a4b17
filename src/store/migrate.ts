import { Migrator } from 'kysely';
import { migrations } from './migrations/index.js';
import type { Store } from './store.js';

/** Applies every pending migration; the same call serves `serve`, `migrate` and the tests. */
export async function migrateToLatest(store: Pick<Store, 'db' | 'capabilities' | 'schema'>): Promise<void> {
  const migrator = new Migrator({
    db: store.db,
    // Kysely looks for its migration tables in every schema unless told which one is ours.
    migrationTableSchema: store.schema,
    provider: { getMigrations: async () => migrations(store.capabilities) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(`Migration ${failed ?? ''} failed: ${String(error)}`);
  }
}
