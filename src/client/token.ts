import { createHash } from 'node:crypto';
import type { HashFunction } from './types.js';

const MS_PER_DAY = 86_400_000;

/** Whole UTC days since 1970-01-01 at `now` (a Date or epoch milliseconds): the `today` of the token. */
export function utcDay(now: Date | number): number {
  return Math.floor((typeof now === 'number' ? now : now.getTime()) / MS_PER_DAY);
}

function hex(hash: HashFunction, text: string): string {
  return createHash(hash).update(text, 'utf8').digest('hex');
}

/**
 * The daily access token of CONTRACT.md section 3: `H(apiKey + H(apiKey + companyId + today))`, lower-case hex.
 * Written again here rather than imported from the server, so the client needs nothing but Node.
 *
 * @example accessToken('test-api-key', 'JSOM3ACS72QAJ2I1IM1D5VNFGR', 'sha256', new Date('2023-01-30T12:00:00Z'))
 */
export function accessToken(
  apiKey: string,
  companyId: string,
  hash: HashFunction = 'sha256',
  now: Date | number = Date.now(),
): string {
  return hex(hash, apiKey + hex(hash, apiKey + companyId + String(utcDay(now))));
}
