import type { AccountRow, AccountUpdate, NewAccountRow } from '../schema/index.js';
import type { Db } from '../store.js';

export function findAccountByEmail(db: Db, emailKey: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('email_key', '=', emailKey).executeTakeFirst();
}

/** The same, and locks the row until the transaction ends, so concurrent writes to one account queue up. */
export function findAccountByEmailForUpdate(db: Db, emailKey: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('email_key', '=', emailKey).forUpdate().executeTakeFirst();
}

export function findAccountByTalkToMeId(db: Db, talkToMeId: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('talk_to_me_id', '=', talkToMeId).executeTakeFirst();
}

export function findAccountById(db: Db, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertAccount(db: Db, row: NewAccountRow): Promise<void> {
  await db.insertInto('accounts').values(row).execute();
}

export async function updateAccount(db: Db, id: string, patch: AccountUpdate): Promise<void> {
  await db.updateTable('accounts').set(patch).where('id', '=', id).execute();
}

/** An account with what person-info and the operator's tools show beside it. */
export interface AccountProfileRow extends AccountRow {
  company_name: string | null;
  company_timezone: string | null;
  substitute_account_name: string | null;
  substitute_account_email: string | null;
  substitute_channel_name: string | null;
}

function selectProfiles(db: Db) {
  return db
    .selectFrom('accounts as a')
    .leftJoin('companies as c', 'c.id', 'a.company_id')
    .leftJoin('accounts as s', 's.id', 'a.substitute_account_id')
    .leftJoin('channels as ch', 'ch.id', 'a.substitute_channel_id')
    .selectAll('a')
    .select([
      'c.name as company_name',
      'c.timezone as company_timezone',
      's.name as substitute_account_name',
      's.email as substitute_account_email',
      'ch.name as substitute_channel_name',
    ]);
}

/** Reads an account and the names shown beside it in one query, by email key or talk-to-me id. */
export function findAccountProfile(
  db: Db,
  by: { emailKey: string } | { talkToMeId: string },
): Promise<AccountProfileRow | undefined> {
  const query = selectProfiles(db);
  const filtered =
    'emailKey' in by
      ? query.where('a.email_key', '=', by.emailKey)
      : query.where('a.talk_to_me_id', '=', by.talkToMeId);
  return filtered.executeTakeFirst();
}

export function listAccountProfiles(db: Db, companyId?: string): Promise<AccountProfileRow[]> {
  let query = selectProfiles(db).orderBy('a.email_key');
  if (companyId !== undefined) query = query.where('a.company_id', '=', companyId);
  return query.execute();
}
