import { keyringOf } from '../keyring.js';
import type { CompanyRow, CompanyUpdate, NewCompanyRow } from '../schema/index.js';
import type { Db } from '../store.js';

// The one place where API keys meet the keyring: every key written is sealed, every key read is
// opened, so the rows these functions return and take hold plain keys (see keyring.ts).

export async function findCompany(db: Db, id: string): Promise<CompanyRow | undefined> {
  const row = await db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
  return row && openKeys(db, row);
}

/** The same, and locks the row until the transaction ends, so concurrent key rotations queue up. */
export async function findCompanyForUpdate(db: Db, id: string): Promise<CompanyRow | undefined> {
  const row = await db.selectFrom('companies').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  return row && openKeys(db, row);
}

export async function listCompanies(db: Db): Promise<CompanyRow[]> {
  const rows = await db.selectFrom('companies').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => openKeys(db, row));
}

export async function insertCompany(db: Db, row: NewCompanyRow): Promise<void> {
  await db
    .insertInto('companies')
    .values(sealKeys(db, row.id, row))
    .execute();
}

export async function updateCompany(db: Db, id: string, patch: CompanyUpdate): Promise<void> {
  await db
    .updateTable('companies')
    .set(sealKeys(db, id, patch))
    .where('id', '=', id)
    .execute();
}

function openKeys(db: Db, row: CompanyRow): CompanyRow {
  const keyring = keyringOf(db);
  return {
    ...row,
    api_key: keyring.open(row.api_key, row.id),
    previous_api_key: row.previous_api_key === null ? null : keyring.open(row.previous_api_key, row.id),
  };
}

function sealKeys<Row extends CompanyUpdate>(db: Db, id: string, row: Row): Row {
  const keyring = keyringOf(db);
  const sealed = { ...row };
  if (typeof row.api_key === 'string') sealed.api_key = keyring.seal(row.api_key, id);
  if (typeof row.previous_api_key === 'string') sealed.previous_api_key = keyring.seal(row.previous_api_key, id);
  return sealed;
}
