import type { Transaction } from 'kysely';
import { emailKey, isValidEmail } from '../domain/email.js';
import { fail } from '../domain/errors.js';
import { newIdentifier } from '../domain/identifiers.js';
import { isOnlineState, type OnlineState } from '../domain/online-state.js';
import type { AccountProfileRow } from '../store/repositories/accounts.js';
import * as accounts from '../store/repositories/accounts.js';
import { recordAudit } from '../store/repositories/audit.js';
import type { AccountRow, Database } from '../store/schema/index.js';
import type { Db } from '../store/store.js';
import { type Change, timestamp } from './change.js';
import { getCompany } from './companies.js';

/** An account as the operator's tools show it (CONTRACT.md, section 7). */
export interface AccountJson {
  email: string;
  name: string;
  companyId: string | null;
  talkToMeId: string;
  position: string | null;
  phone: string | null;
  mobile: string | null;
  avatar: string | null;
  verified: boolean;
  locked: boolean;
  dnd: boolean;
  onlineState: OnlineState;
  awayFrom: string | null;
  awayUntil: string | null;
  substitution: string | null;
  substitutionChannel: string | null;
}

export interface AccountProfile {
  name?: string;
  position?: string | null;
  phone?: string | null;
  mobile?: string | null;
  avatar?: string | null;
  verified?: boolean;
  locked?: boolean;
  onlineState?: string;
}

export function accountJson(row: AccountProfileRow): AccountJson {
  return {
    email: row.email,
    name: row.name,
    companyId: row.company_id,
    talkToMeId: row.talk_to_me_id,
    position: row.position,
    phone: row.phone,
    mobile: row.mobile,
    avatar: row.avatar,
    verified: row.verified === 1,
    locked: row.locked === 1,
    dnd: row.dnd === 1,
    onlineState: row.online_state,
    awayFrom: row.away_from,
    awayUntil: row.away_until,
    substitution: row.substitute_account_email,
    substitutionChannel: row.substitute_channel_id,
  };
}

export async function getAccount(db: Db, email: string): Promise<AccountJson> {
  const row = await accounts.findAccountProfile(db, { emailKey: emailKey(email) });
  return row ? accountJson(row) : fail('ACCOUNT_EMAIL_NOT_FOUND', email);
}

export async function listAccounts(db: Db, companyId?: string): Promise<AccountJson[]> {
  if (companyId !== undefined) companyId = (await getCompany(db, companyId)).id;
  return (await accounts.listAccountProfiles(db, companyId)).map(accountJson);
}

export type NewAccount = AccountProfile & { email: string; name: string; companyId?: string };

export async function createAccount(db: Db, input: NewAccount, change: Change): Promise<AccountJson> {
  const row = await db.transaction().execute((trx) => insertNewAccount(trx, input, change));
  return getAccount(db, row.email);
}

/**
 * Checks and creates one account, with its audit entry, inside the caller's transaction: the one
 * rule behind `account create`, the admin API and the CSV import.
 */
export async function insertNewAccount(trx: Transaction<Database>, input: NewAccount, change: Change) {
  const email = input.email.trim();
  if (!isValidEmail(email)) fail('INVALID_VALUE', `email ${email}`);
  const fields = checkProfile(input);
  const at = timestamp(change);
  const companyId = input.companyId === undefined ? null : (await getCompany(trx, input.companyId)).id;
  if (await accounts.findAccountByEmail(trx, emailKey(email))) fail('ACCOUNT_EXISTS', email);
  const row: AccountRow = {
    id: newIdentifier(),
    email,
    email_key: emailKey(email),
    company_id: companyId,
    name: input.name.trim(),
    talk_to_me_id: newIdentifier(),
    avatar: null,
    phone: null,
    mobile: null,
    position: null,
    verified: 0,
    locked: 0,
    dnd: 0,
    online_state: 'OFFLINE',
    away_from: null,
    away_until: null,
    substitute_account_id: null,
    substitute_channel_id: null,
    created_at: at,
    updated_at: at,
    ...fields,
  };
  await accounts.insertAccount(trx, row);
  await recordAudit(trx, { ...audit(change, row, 'account.create'), before: null, after: row });
  return row;
}

/** Changes an account's profile and flags (lock, verification, online state). */
export async function updateAccount(
  db: Db,
  email: string,
  input: AccountProfile,
  change: Change,
): Promise<AccountJson> {
  const fields = checkProfile(input);
  await db.transaction().execute(async (trx) => {
    const row = (await accounts.findAccountByEmail(trx, emailKey(email))) ?? fail('ACCOUNT_EMAIL_NOT_FOUND', email);
    const before = Object.fromEntries(Object.keys(fields).map((key) => [key, row[key as keyof AccountRow]]));
    await accounts.updateAccount(trx, row.id, { ...fields, updated_at: timestamp(change) });
    await recordAudit(trx, { ...audit(change, row, 'account.update'), before, after: fields });
  });
  return getAccount(db, email);
}

/** The columns an input sets, checked; absent fields stay as they are, `null` clears an optional one. */
function checkProfile(input: AccountProfile): Partial<AccountRow> {
  const fields: Partial<AccountRow> = {};
  if (input.name !== undefined) {
    if (input.name.trim() === '') fail('INVALID_VALUE', 'name: it must not be empty');
    fields.name = input.name.trim();
  }
  for (const key of ['position', 'phone', 'mobile', 'avatar'] as const) {
    const value = input[key];
    if (value !== undefined) fields[key] = value === null || value.trim() === '' ? null : value.trim();
  }
  if (input.verified !== undefined) fields.verified = input.verified ? 1 : 0;
  if (input.locked !== undefined) fields.locked = input.locked ? 1 : 0;
  if (input.onlineState !== undefined) {
    const state = input.onlineState.toUpperCase();
    if (!isOnlineState(state)) fail('INVALID_VALUE', `online state ${input.onlineState}: use ONLINE, AWAY or OFFLINE`);
    fields.online_state = state;
  }
  return fields;
}

function audit(change: Change, row: Pick<AccountRow, 'id' | 'company_id' | 'email'>, action: string) {
  return {
    at: timestamp(change),
    actor: change.actor,
    action,
    companyId: row.company_id,
    subject: `account:${row.email}`,
  };
}
