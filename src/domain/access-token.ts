import { createHash, timingSafeEqual } from 'node:crypto';

export const HASH_FUNCTIONS = ['sha256', 'md5'] as const;
export type HashFunction = (typeof HASH_FUNCTIONS)[number];

const SECONDS_PER_DAY = 86_400;

/** Whole UTC days since 1970-01-01: the `today` of the token formula. */
export function utcDay(nowMs: number): number {
  return Math.floor(nowMs / 1000 / SECONDS_PER_DAY);
}

function hex(hash: HashFunction, text: string): string {
  return createHash(hash).update(text, 'utf8').digest('hex');
}

/**
 * The daily access token: `H(apiKey + H(apiKey + companyId + day))`, lower-case hex.
 *
 * @example computeAccessToken('test-api-key', 'JSOM3ACS72QAJ2I1IM1D5VNFGR', 19387, 'sha256')
 */
export function computeAccessToken(apiKey: string, companyId: string, day: number, hash: HashFunction): string {
  return hex(hash, apiKey + hex(hash, apiKey + companyId + String(day)));
}

export interface TokenCheck {
  presented: string;
  apiKey: string;
  companyId: string;
  hash: HashFunction;
  today: number;
  /** Days accepted on each side of today; 0 accepts today only. */
  dayWindow: number;
}

/**
 * Whether the presented token is the company's token of a day within the window.
 * Every day of the window is compared, in constant time, so the answer's timing does not say
 * which day matched or how much of the token was right.
 */
export function isValidAccessToken(check: TokenCheck): boolean {
  const presented = Buffer.from(check.presented.toLowerCase(), 'utf8');
  let valid = false;
  for (let day = check.today - check.dayWindow; day <= check.today + check.dayWindow; day++) {
    const expected = expectedToken(check.apiKey, check.companyId, day, check.hash);
    const sameLength = expected.length === presented.length;
    // timingSafeEqual needs equal lengths; compare against itself so the work stays the same.
    const equal = timingSafeEqual(expected, sameLength ? presented : expected);
    valid = (sameLength && equal) || valid;
  }
  return valid;
}

/**
 * The tokens of recent days, remembered: a token is a pure function of key, company, day and hash,
 * so a remembered one can never outlive a rotated key (a new key is a new entry). Checking the
 * window costs two hashes per day and key; remembering them is most of the cost of a request.
 */
const remembered = new Map<string, Buffer>();
const REMEMBERED_MAX = 20_000;

function expectedToken(apiKey: string, companyId: string, day: number, hash: HashFunction): Buffer {
  const entry = `${hash}:${day}:${companyId}:${apiKey}`;
  let token = remembered.get(entry);
  if (token === undefined) {
    token = Buffer.from(computeAccessToken(apiKey, companyId, day, hash));
    // Oldest first: a Map keeps insertion order, so the first key is the oldest entry.
    if (remembered.size >= REMEMBERED_MAX) remembered.delete(remembered.keys().next().value as string);
    remembered.set(entry, token);
  }
  return token;
}
