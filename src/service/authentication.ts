import { isValidAccessToken } from '../domain/access-token.js';
import { fail } from '../domain/errors.js';
import { isIdentifier, normalizeIdentifier } from '../domain/identifiers.js';
import { findCompany } from '../store/repositories/companies.js';
import type { CompanyRow } from '../store/schema/index.js';
import type { Db } from '../store/store.js';

export interface TokenPolicy {
  /** Days accepted on each side of today (UTC). */
  dayWindow: number;
}

// Checked when the company is unknown, so that an unknown company costs the same time as a wrong key,
// and in place of a previous key when there is none, so that every check costs the same two keys.
const STAND_IN = { api_key: 'x'.repeat(64), id: 'X'.repeat(26), hash: 'sha256' as const };

/**
 * The company whose daily access token was presented. Unknown company and wrong token fail alike
 * (403 `Invalid authentication.`), with no hint which. The key is read afresh on every call, so a
 * rotated key stops working with the next request; a key rotated with a grace period (the previous
 * key) works until `now` reaches the end of that period.
 */
export async function authenticateCompany(
  db: Db,
  credentials: { companyId: string; token: string },
  today: number,
  policy: TokenPolicy,
  now: Date = new Date(),
): Promise<CompanyRow> {
  const company = isIdentifier(credentials.companyId)
    ? await findCompany(db, normalizeIdentifier(credentials.companyId))
    : undefined;
  const subject = company ?? STAND_IN;
  const previousKey = company && inGracePeriod(company, now) ? company.previous_api_key : null;
  const matches = (apiKey: string) =>
    isValidAccessToken({
      presented: credentials.token,
      apiKey,
      companyId: subject.id,
      hash: subject.hash,
      today,
      dayWindow: policy.dayWindow,
    });
  // Both checks always run: the time taken says neither whether there is a previous key nor which key matched.
  const current = matches(subject.api_key);
  const previous = matches(previousKey ?? STAND_IN.api_key) && previousKey !== null;
  if (!company || !(current || previous)) fail('AUTHENTICATION_INVALID');
  return company;
}

function inGracePeriod(company: CompanyRow, now: Date): boolean {
  const until = company.previous_key_expires_at;
  return company.previous_api_key !== null && until !== null && now.getTime() < Date.parse(until);
}
