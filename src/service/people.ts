import { localDate } from '../domain/calendar.js';
import { emailKey } from '../domain/email.js';
import { fail } from '../domain/errors.js';
import { isIdentifier, normalizeIdentifier } from '../domain/identifiers.js';
import { describePerson, type PersonInfo } from '../domain/person.js';
import type { AccountProfileRow } from '../store/repositories/accounts.js';
import { findAccountByEmail, findAccountProfile } from '../store/repositories/accounts.js';
import type { Db } from '../store/store.js';

/** What is-account tells a company: whether an account exists, and if it is theirs, whether it is verified. */
export async function lookUpAccount(
  db: Db,
  companyId: string,
  email: string,
): Promise<{ exists: boolean; verified?: boolean }> {
  const account = await findAccountByEmail(db, emailKey(email));
  if (!account) return { exists: false };
  if (account.company_id !== companyId) return { exists: true };
  return { exists: true, verified: account.verified === 1 };
}

export type PersonQuery = { talkToMeId: string } | { email: string };

/**
 * person-info: by talk-to-me id for anyone, by email for the account's own company only. `viewerId`
 * is the authenticated company, if any. Locked accounts are shown only to their own company.
 */
export async function lookUpPerson(
  db: Db,
  query: PersonQuery,
  viewerId: string | undefined,
  now: Date,
): Promise<PersonInfo> {
  const parameter = 'talkToMeId' in query ? 'talkToMeId' : 'email';
  const row = await findProfile(db, query);
  const own = row !== undefined && viewerId !== undefined && row.company_id === viewerId;
  const visible = row !== undefined && (own || (parameter === 'talkToMeId' && row.locked === 0));
  if (!visible) fail('ACCOUNT_NOT_FOUND', parameter);
  // Accounts without a company are judged in UTC (CONTRACT.md 6.4).
  const today = localDate(now, row.company_timezone ?? 'UTC');
  return describePerson(
    {
      name: row.name,
      talkToMeId: row.talk_to_me_id,
      email: row.email,
      avatar: row.avatar,
      phone: row.phone,
      mobile: row.mobile,
      position: row.position,
      companyName: row.company_name,
      locked: row.locked === 1,
      onlineState: row.online_state,
      awayFrom: row.away_from,
      awayUntil: row.away_until,
      substituteAccountName: row.substitute_account_name,
      substituteChannelName: row.substitute_channel_name,
    },
    today,
    own,
  );
}

function findProfile(db: Db, query: PersonQuery): Promise<AccountProfileRow | undefined> {
  if ('email' in query) return findAccountProfile(db, { emailKey: emailKey(query.email) });
  // An identifier that is not 26 letters or digits cannot exist: not found, without a query.
  if (!isIdentifier(query.talkToMeId)) return Promise.resolve(undefined);
  return findAccountProfile(db, { talkToMeId: normalizeIdentifier(query.talkToMeId) });
}
