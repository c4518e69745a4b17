import type { Kysely, Migration } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations must keep working after the typed schema has moved on
type AnyDb = Kysely<any>;

/**
 * The previous API key of a company and until when it stays valid after `rotate-key --grace`.
 * Stored like `api_key` (sealed when there is a master key). SQLite adds one column per statement.
 */
export const keyRotation: Migration = {
  async up(db: AnyDb) {
    await db.schema.alterTable('companies').addColumn('previous_api_key', 'text').execute();
    await db.schema.alterTable('companies').addColumn('previous_key_expires_at', 'text').execute();
  },

  async down(db: AnyDb) {
    await db.schema.alterTable('companies').dropColumn('previous_key_expires_at').execute();
    await db.schema.alterTable('companies').dropColumn('previous_api_key').execute();
  },
};
