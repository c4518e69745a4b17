import type { ColumnDataType, ColumnDefinitionBuilder } from 'kysely';

/**
 * What differs between the databases Switchboard runs on. Code outside `dialect/` branches on these
 * capabilities, never on a dialect's name.
 */
export interface Capabilities {
  /** Column type and builder of an auto-incrementing integer primary key. */
  identity: { type: ColumnDataType; build: (column: ColumnDefinitionBuilder) => ColumnDefinitionBuilder };
  /** Case-insensitive `LIKE`, for filters in listings. */
  caseInsensitiveLike: 'like' | 'ilike';
}
