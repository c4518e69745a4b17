import type { CompanyRow, CompanyUpdate, NewCompanyRow } from '../schema/index.js';
import type { Db } from '../store.js';

export function findCompany(db: Db, id: string): Promise<CompanyRow | undefined> {
  return db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listCompanies(db: Db): Promise<CompanyRow[]> {
  return db.selectFrom('companies').selectAll().orderBy('created_at').orderBy('id').execute();
}

export async function insertCompany(db: Db, row: NewCompanyRow): Promise<void> {
  await db.insertInto('companies').values(row).execute();
}

export async function updateCompany(db: Db, id: string, patch: CompanyUpdate): Promise<void> {
  await db.updateTable('companies').set(patch).where('id', '=', id).execute();
}
