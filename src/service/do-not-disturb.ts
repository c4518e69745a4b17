import { updateAccount } from '../store/repositories/accounts.js';
import { recordAudit } from '../store/repositories/audit.js';
import type { Db } from '../store/store.js';
import { writeTransaction } from '../store/write-batch.js';
import { type Change, timestamp } from './change.js';
import { requireOwnAccount } from './own-account.js';

/** Sets or clears do-not-disturb on an account of the company, and records it in the audit trail. */
export async function setDoNotDisturb(
  db: Db,
  companyId: string,
  request: { accountEmail: string; dnd: boolean },
  change: Change,
): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const account = await requireOwnAccount(trx, companyId, request.accountEmail, 'accountEmail');
    const dnd = request.dnd ? 1 : 0;
    await updateAccount(trx, account.id, { dnd, updated_at: timestamp(change) });
    await recordAudit(trx, {
      at: timestamp(change),
      actor: change.actor,
      action: 'account.dnd',
      companyId,
      subject: `account:${account.email}`,
      before: { dnd: account.dnd === 1 },
      after: { dnd: request.dnd },
    });
  });
}
