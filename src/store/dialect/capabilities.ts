import type { ColumnDataType, ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Database } from '../schema/index.js';

/**
 * What differs between the databases Switchboard runs on. Code outside `dialect/` branches on these
 * capabilities, never on a dialect's name.
 */
export interface Capabilities {
  /** Column type and builder of an auto-incrementing integer primary key. */
  identity: { type: ColumnDataType; build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder };
  /**
   * Whether an error means that the database cannot be reached or is too busy right now (the
   * request may succeed later: 503), rather than a fault of the request or the code (500).
   */
  isUnavailable(error: unknown): boolean;
  /** After rows were inserted with explicit ids, makes the table's next generated id follow them. */
  followInsertedIds(db: Kysely<Database>, table: keyof Database): Promise<void>;
}
