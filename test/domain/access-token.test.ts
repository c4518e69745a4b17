import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeAccessToken, isValidAccessToken, type TokenCheck, utcDay } from '../../src/domain/access-token.js';

const KEY = 'test-api-key';
const COMPANY = 'JSOM3ACS72QAJ2I1IM1D5VNFGR';
const DAY = 19387; // 2023-01-30
const SHA256_VECTOR = 'a3b475e78a654efc8ae3760383b7273c79db7af63b50036ef4b9cfe6ccdc5d27';
const MD5_VECTOR = '935a5ecf17e770e3d97d4d265f1d44b6';

describe('computeAccessToken: the contract test vectors', () => {
  it('gives the SHA-256 vector for day 19387', () => {
    expect(computeAccessToken(KEY, COMPANY, DAY, 'sha256')).toBe(SHA256_VECTOR);
  });

  it('gives the MD5 vector for day 19387', () => {
    expect(computeAccessToken(KEY, COMPANY, DAY, 'md5')).toBe(MD5_VECTOR);
  });

  it('is lower-case hex of the hash length', () => {
    expect(computeAccessToken(KEY, COMPANY, DAY, 'sha256')).toMatch(/^[0-9a-f]{64}$/);
    expect(computeAccessToken(KEY, COMPANY, DAY, 'md5')).toMatch(/^[0-9a-f]{32}$/);
  });

  it('changes with the day, the key and the company', () => {
    expect(computeAccessToken(KEY, COMPANY, DAY + 1, 'sha256')).not.toBe(SHA256_VECTOR);
    expect(computeAccessToken('other-api-key', COMPANY, DAY, 'sha256')).not.toBe(SHA256_VECTOR);
    expect(computeAccessToken(KEY, 'QAT88PF4NQUB50SOHFLIPQL9RT', DAY, 'sha256')).not.toBe(SHA256_VECTOR);
  });
});

describe('utcDay', () => {
  it('is 19387 on 2023-01-30 (the vectors day)', () => {
    expect(utcDay(Date.parse('2023-01-30T00:00:00.000Z'))).toBe(19387);
  });

  it('is 19579 on the test clock 2023-08-10T12:00:00Z', () => {
    expect(utcDay(Date.parse('2023-08-10T12:00:00.000Z'))).toBe(19579);
  });

  it('counts the last millisecond of a day to that day', () => {
    expect(utcDay(Date.parse('2023-01-30T23:59:59.999Z'))).toBe(19387);
  });

  it('counts the first millisecond of the next day to the next day', () => {
    expect(utcDay(Date.parse('2023-01-31T00:00:00.000Z'))).toBe(19388);
  });

  it('is 0 at the epoch and just before day 1', () => {
    expect(utcDay(0)).toBe(0);
    expect(utcDay(86_400_000 - 1)).toBe(0);
    expect(utcDay(86_400_000)).toBe(1);
  });
});

function check(presented: string, overrides: Partial<TokenCheck> = {}): boolean {
  return isValidAccessToken({
    presented,
    apiKey: KEY,
    companyId: COMPANY,
    hash: 'sha256',
    today: DAY,
    dayWindow: 1,
    ...overrides,
  });
}

const tokenOf = (day: number, hash: 'sha256' | 'md5' = 'sha256') => computeAccessToken(KEY, COMPANY, day, hash);

describe('isValidAccessToken', () => {
  it("accepts today's token", () => {
    expect(check(SHA256_VECTOR)).toBe(true);
  });

  it("accepts yesterday's token with window 1", () => {
    expect(check(tokenOf(DAY - 1))).toBe(true);
  });

  it("accepts tomorrow's token with window 1", () => {
    expect(check(tokenOf(DAY + 1))).toBe(true);
  });

  it('refuses the token of today - 2 with window 1', () => {
    expect(check(tokenOf(DAY - 2))).toBe(false);
  });

  it('refuses the token of today + 2 with window 1', () => {
    expect(check(tokenOf(DAY + 2))).toBe(false);
  });

  it('accepts only today with window 0', () => {
    expect(check(tokenOf(DAY), { dayWindow: 0 })).toBe(true);
    expect(check(tokenOf(DAY - 1), { dayWindow: 0 })).toBe(false);
    expect(check(tokenOf(DAY + 1), { dayWindow: 0 })).toBe(false);
  });

  it('accepts the token in upper case (hex compared case-insensitively)', () => {
    expect(check(SHA256_VECTOR.toUpperCase())).toBe(true);
  });

  it('accepts mixed-case hex', () => {
    const mixed = [...SHA256_VECTOR].map((c, i) => (i % 2 === 0 ? c.toUpperCase() : c)).join('');
    expect(check(mixed)).toBe(true);
  });

  it('accepts the MD5 token for an MD5 company', () => {
    expect(check(MD5_VECTOR, { hash: 'md5' })).toBe(true);
  });

  it('refuses the SHA-256 token for an MD5 company and the other way round', () => {
    expect(check(SHA256_VECTOR, { hash: 'md5' })).toBe(false);
    expect(check(MD5_VECTOR, { hash: 'sha256' })).toBe(false);
  });

  it('refuses a token one character too long', () => {
    expect(check(`${SHA256_VECTOR}a`)).toBe(false);
  });

  it('refuses a token one character too short', () => {
    expect(check(SHA256_VECTOR.slice(0, -1))).toBe(false);
  });

  it('refuses an empty token', () => {
    expect(check('')).toBe(false);
  });

  it('refuses a token with one character changed', () => {
    const last = SHA256_VECTOR.at(-1) === '0' ? '1' : '0';
    expect(check(SHA256_VECTOR.slice(0, -1) + last)).toBe(false);
  });

  it('refuses a token made with a wrong key', () => {
    expect(check(computeAccessToken('wrong-api-key', COMPANY, DAY, 'sha256'))).toBe(false);
  });

  it('refuses a token of another company', () => {
    expect(check(computeAccessToken(KEY, 'QAT88PF4NQUB50SOHFLIPQL9RT', DAY, 'sha256'))).toBe(false);
  });

  it('refuses the inner hash and the bare API key', () => {
    expect(check(KEY)).toBe(false);
    const inner = createHash('sha256').update(`${KEY}${COMPANY}${DAY}`, 'utf8').digest('hex');
    expect(check(inner)).toBe(false);
  });
});
