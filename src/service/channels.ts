import { emailKey } from '../domain/email.js';
import { fail } from '../domain/errors.js';
import { newIdentifier, normalizeIdentifier } from '../domain/identifiers.js';
import { findAccountByEmail } from '../store/repositories/accounts.js';
import { recordAudit } from '../store/repositories/audit.js';
import * as channels from '../store/repositories/channels.js';
import type { AccountRow, ChannelRow } from '../store/schema/index.js';
import type { Db } from '../store/store.js';
import { type Change, timestamp } from './change.js';
import { getCompany } from './companies.js';

export interface ChannelJson {
  channelId: string;
  companyId: string;
  name: string;
  members: string[];
}

async function channelJson(db: Db, row: ChannelRow): Promise<ChannelJson> {
  return {
    channelId: row.id,
    companyId: row.company_id,
    name: row.name,
    members: await channels.channelMemberEmails(db, row.id),
  };
}

async function getChannel(db: Db, id: string): Promise<ChannelRow> {
  return (await channels.findChannel(db, normalizeIdentifier(id))) ?? fail('CHANNEL_NOT_FOUND', id);
}

/** One channel with its members. */
export async function readChannel(db: Db, id: string): Promise<ChannelJson> {
  return channelJson(db, await getChannel(db, id));
}

/** A member must be an account of the channel's company. */
async function memberAccount(db: Db, channel: ChannelRow, email: string): Promise<AccountRow> {
  const account = (await findAccountByEmail(db, emailKey(email))) ?? fail('ACCOUNT_EMAIL_NOT_FOUND', email);
  if (account.company_id !== channel.company_id)
    fail('INVALID_VALUE', `member ${email}: the account belongs to another company`);
  return account;
}

export async function createChannel(
  db: Db,
  input: { companyId: string; name: string; members?: string[] },
  change: Change,
): Promise<ChannelJson> {
  if (input.name.trim() === '') fail('INVALID_VALUE', 'name: it must not be empty');
  return db.transaction().execute(async (trx) => {
    const company = await getCompany(trx, input.companyId);
    const row: ChannelRow = {
      id: newIdentifier(),
      company_id: company.id,
      name: input.name.trim(),
      created_at: timestamp(change),
    };
    await channels.insertChannel(trx, row);
    for (const email of new Set(input.members ?? [])) {
      const account = await memberAccount(trx, row, email);
      await channels.addChannelMember(trx, row.id, account.id, timestamp(change));
    }
    const json = await channelJson(trx, row);
    await recordAudit(trx, { ...audit(change, row, 'channel.create'), before: null, after: json });
    return json;
  });
}

export async function addChannelMember(db: Db, channelId: string, email: string, change: Change): Promise<ChannelJson> {
  return changeMembership(db, channelId, email, change, 'add');
}

export async function removeChannelMember(
  db: Db,
  channelId: string,
  email: string,
  change: Change,
): Promise<ChannelJson> {
  return changeMembership(db, channelId, email, change, 'remove');
}

async function changeMembership(
  db: Db,
  channelId: string,
  email: string,
  change: Change,
  how: 'add' | 'remove',
): Promise<ChannelJson> {
  return db.transaction().execute(async (trx) => {
    const channel = await getChannel(trx, channelId);
    const account = await memberAccount(trx, channel, email);
    const before = await channels.channelMemberEmails(trx, channel.id);
    const isMember = await channels.isChannelMember(trx, channel.id, account.id);
    if (how === 'add' && !isMember) await channels.addChannelMember(trx, channel.id, account.id, timestamp(change));
    if (how === 'remove' && isMember) await channels.removeChannelMember(trx, channel.id, account.id);
    const json = await channelJson(trx, channel);
    await recordAudit(trx, {
      ...audit(change, channel, `channel.member.${how}`),
      before: { members: before },
      after: { members: json.members },
    });
    return json;
  });
}

export async function listChannels(db: Db, companyId: string): Promise<ChannelJson[]> {
  const company = await getCompany(db, companyId);
  const rows = await channels.listChannels(db, company.id);
  return Promise.all(rows.map((row) => channelJson(db, row)));
}

function audit(change: Change, channel: ChannelRow, action: string) {
  return {
    at: timestamp(change),
    actor: change.actor,
    action,
    companyId: channel.company_id,
    subject: `channel:${channel.id}`,
  };
}
