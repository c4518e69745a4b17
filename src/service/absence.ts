import { emailKey } from '../domain/email.js';
import { fail } from '../domain/errors.js';
import { isIdentifier, normalizeIdentifier } from '../domain/identifiers.js';
import { findAccountByEmail, findAccountByTalkToMeId, updateAccount } from '../store/repositories/accounts.js';
import { recordAudit } from '../store/repositories/audit.js';
import { findChannel } from '../store/repositories/channels.js';
import type { AccountRow } from '../store/schema/index.js';
import type { Db } from '../store/store.js';
import { writeTransaction } from '../store/write-batch.js';
import { type Change, timestamp } from './change.js';
import { requireOwnAccount } from './own-account.js';

/** An absence as out-of-office sets it; a field left out is cleared. Dates are already checked. */
export interface AbsenceRequest {
  accountEmail: string;
  awayFrom?: string;
  awayUntil?: string;
  /** Email or talk-to-me identifier of the substitute account. */
  substitution?: string;
  substitutionChannel?: string;
}

/** Replaces the whole absence of an account of the company, and records it in the audit trail. */
export async function setAbsence(db: Db, companyId: string, request: AbsenceRequest, change: Change): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const account = await requireOwnAccount(trx, companyId, request.accountEmail, 'accountEmail');
    const substitute = await resolveSubstitute(trx, companyId, account, request);
    const after = {
      away_from: request.awayFrom ?? null,
      away_until: request.awayUntil ?? null,
      substitute_account_id: substitute.accountId,
      substitute_channel_id: substitute.channelId,
    };
    await updateAccount(trx, account.id, { ...after, updated_at: timestamp(change) });
    await recordAudit(trx, {
      at: timestamp(change),
      actor: change.actor,
      action: 'account.absence',
      companyId,
      subject: `account:${account.email}`,
      before: {
        away_from: account.away_from,
        away_until: account.away_until,
        substitute_account_id: account.substitute_account_id,
        substitute_channel_id: account.substitute_channel_id,
      },
      after,
    });
  });
}

interface Substitute {
  accountId: string | null;
  channelId: string | null;
}

/** A channel wins over a person, and then the person is not even checked (CONTRACT.md 6.10). */
async function resolveSubstitute(
  db: Db,
  companyId: string,
  account: AccountRow,
  request: AbsenceRequest,
): Promise<Substitute> {
  if (request.substitutionChannel !== undefined) {
    const channel = isIdentifier(request.substitutionChannel)
      ? await findChannel(db, normalizeIdentifier(request.substitutionChannel))
      : undefined;
    if (channel?.company_id !== companyId) fail('CHANNEL_UNKNOWN');
    return { accountId: null, channelId: channel.id };
  }
  if (request.substitution !== undefined) {
    const substitute = await findSubstitute(db, request.substitution);
    if (substitute?.company_id !== companyId) fail('SUBSTITUTE_UNKNOWN');
    if (substitute.id === account.id) fail('SUBSTITUTE_IS_SELF');
    if (substitute.locked === 1) fail('SUBSTITUTE_LOCKED');
    return { accountId: substitute.id, channelId: null };
  }
  return { accountId: null, channelId: null };
}

function findSubstitute(db: Db, reference: string): Promise<AccountRow | undefined> {
  if (reference.includes('@')) return findAccountByEmail(db, emailKey(reference));
  if (isIdentifier(reference)) return findAccountByTalkToMeId(db, normalizeIdentifier(reference));
  return Promise.resolve(undefined);
}
