import { emailKey } from '../domain/email.js';
import { fail } from '../domain/errors.js';
import { findAccountByEmailForUpdate } from '../store/repositories/accounts.js';
import type { AccountRow } from '../store/schema/index.js';
import type { Db } from '../store/store.js';

/**
 * The account a company acts on: it must exist (404), belong to the company and not be locked (403).
 * The row stays locked until the transaction ends. `parameter` names the request parameter that carried the email, for the message.
 */
export async function requireOwnAccount(
  db: Db,
  companyId: string,
  email: string,
  parameter: string,
): Promise<AccountRow> {
  const account = (await findAccountByEmailForUpdate(db, emailKey(email))) ?? fail('ACCOUNT_NOT_FOUND', parameter);
  if (account.company_id !== companyId) fail('ACCOUNT_OF_OTHER_COMPANY', parameter);
  if (account.locked === 1) fail('ACCOUNT_LOCKED', parameter);
  return account;
}
