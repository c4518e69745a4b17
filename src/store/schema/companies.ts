import type { Insertable, Selectable, Updateable } from 'kysely';
import type { HashFunction } from '../../domain/access-token.js';

export interface CompaniesTable {
  id: string;
  name: string;
  api_key: string;
  hash: HashFunction;
  timezone: string;
  created_at: string;
  updated_at: string;
}

export type CompanyRow = Selectable<CompaniesTable>;
export type NewCompanyRow = Insertable<CompaniesTable>;
export type CompanyUpdate = Updateable<CompaniesTable>;
