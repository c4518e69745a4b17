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

// Checked when the company is unknown, so that an unknown company costs the same time as a wrong key.
const STAND_IN = { api_key: 'x'.repeat(64), id: 'X'.repeat(26), hash: 'sha256' as const };

/**
 * The company whose daily access token was presented. Unknown company and wrong token fail alike
 * (403 `Invalid authentication.`), with no hint which. The key is read afresh on every call, so a
 * rotated key stops working with the next request.
 */
export async function authenticateCompany(
  db: Db,
  credentials: { companyId: string; token: string },
  today: number,
  policy: TokenPolicy,
): Promise<CompanyRow> {
  const company = isIdentifier(credentials.companyId)
    ? await findCompany(db, normalizeIdentifier(credentials.companyId))
    : undefined;
  const subject = company ?? STAND_IN;
  const valid = isValidAccessToken({
    presented: credentials.token,
    apiKey: subject.api_key,
    companyId: subject.id,
    hash: subject.hash,
    today,
    dayWindow: policy.dayWindow,
  });
  if (!company || !valid) fail('AUTHENTICATION_INVALID');
  return company;
}
