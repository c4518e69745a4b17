import type { ChannelRow, NewChannelRow } from '../schema/index.js';
import type { Db } from '../store.js';

export function findChannel(db: Db, id: string): Promise<ChannelRow | undefined> {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listChannels(db: Db, companyId: string): Promise<ChannelRow[]> {
  return db
    .selectFrom('channels')
    .selectAll()
    .where('company_id', '=', companyId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

export async function insertChannel(db: Db, row: NewChannelRow): Promise<void> {
  await db.insertInto('channels').values(row).execute();
}

/** Emails of a channel's members, sorted. */
export async function channelMemberEmails(db: Db, channelId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('channel_members as m')
    .innerJoin('accounts as a', 'a.id', 'm.account_id')
    .select('a.email')
    .where('m.channel_id', '=', channelId)
    .orderBy('a.email_key')
    .execute();
  return rows.map((row) => row.email);
}

export async function isChannelMember(db: Db, channelId: string, accountId: string): Promise<boolean> {
  const row = await db
    .selectFrom('channel_members')
    .select('account_id')
    .where('channel_id', '=', channelId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row !== undefined;
}

export async function addChannelMember(db: Db, channelId: string, accountId: string, at: string): Promise<void> {
  await db
    .insertInto('channel_members')
    .values({ channel_id: channelId, account_id: accountId, added_at: at })
    .execute();
}

export async function removeChannelMember(db: Db, channelId: string, accountId: string): Promise<void> {
  await db
    .deleteFrom('channel_members')
    .where('channel_id', '=', channelId)
    .where('account_id', '=', accountId)
    .execute();
}
