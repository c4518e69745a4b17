import type { Insertable, Selectable, Updateable } from 'kysely';
import type { HashFunction } from '../../domain/access-token.js';

export interface CompaniesTable {
  id: string;
  name: string;
  /** The API key; sealed (`enc:v1:...`) when the store has a master key, see keyring.ts. */
  api_key: string;
  /** The key before the last `rotate-key --grace`, stored like api_key; valid until previous_key_expires_at. */
  previous_api_key: string | null;
  /** ISO timestamp at which previous_api_key stops working. */
  previous_key_expires_at: string | null;
  hash: HashFunction;
  timezone: string;
  created_at: string;
  updated_at: string;
}

export type CompanyRow = Selectable<CompaniesTable>;
export type NewCompanyRow = Insertable<CompaniesTable>;
export type CompanyUpdate = Updateable<CompaniesTable>;
