import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, openSecret, parseMasterKey, sealSecret } from '../../src/domain/secret-box.js';

const KEY = Buffer.from('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f', 'hex');
const SECRET = 'f00dfeed'.repeat(8);
const CONTEXT = 'company:JSOM3ACS72QAJ2I1IM1D5VNFGR:api-key';

describe('parseMasterKey', () => {
  it('reads 64 hex characters, in either case', () => {
    expect(parseMasterKey(KEY.toString('hex'))).toEqual(KEY);
    expect(parseMasterKey(KEY.toString('hex').toUpperCase())).toEqual(KEY);
  });

  it('reads base64, standard or URL-safe, with or without padding, and ignores surrounding white space', () => {
    const key = Buffer.from('fbff'.repeat(16), 'hex'); // encodes with + and / (or - and _)
    expect(key.toString('base64')).toMatch(/[+/]/);
    expect(parseMasterKey(key.toString('base64'))).toEqual(key);
    expect(parseMasterKey(key.toString('base64').replace(/=$/, ''))).toEqual(key);
    expect(parseMasterKey(key.toString('base64url'))).toEqual(key);
    expect(parseMasterKey(`  ${KEY.toString('base64')}\n`)).toEqual(KEY);
    expect(parseMasterKey(`${KEY.toString('hex')}\n`)).toEqual(KEY);
  });

  it('refuses anything that is not exactly 32 bytes in one of those forms', () => {
    for (const text of [
      '',
      'secret',
      KEY.toString('hex').slice(1),
      `${KEY.toString('hex')}0`,
      `${KEY.toString('hex').slice(1)}g`,
      randomBytes(31).toString('base64'),
      randomBytes(33).toString('base64'),
      randomBytes(24).toString('hex'),
      // 43 characters whose last one carries bits beyond the 32nd byte: a typo, not a key.
      `${KEY.toString('base64').slice(0, 42)}B`,
      // Mixed alphabets.
      `+${KEY.toString('base64url').slice(1, 42)}_`,
      `${KEY.toString('hex').slice(0, 32)} ${KEY.toString('hex').slice(32)}`,
    ]) {
      expect(parseMasterKey(text), text).toBeUndefined();
    }
  });
});

describe('sealSecret and openSecret', () => {
  it('seal to versioned text enc:v1:<iv>:<tag>:<ciphertext> in base64url, without the secret in it', () => {
    const sealed = sealSecret(KEY, SECRET, CONTEXT);
    expect(sealed).toMatch(/^enc:v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(SECRET);
    expect(sealed).not.toContain(Buffer.from(SECRET).toString('base64url'));
    expect(openSecret(KEY, sealed, CONTEXT)).toBe(SECRET);
  });

  it('use a fresh IV for every value, so one secret never seals to the same text twice', () => {
    const texts = new Set(Array.from({ length: 50 }, () => sealSecret(KEY, SECRET, CONTEXT)));
    expect(texts.size).toBe(50);
    const ivs = new Set([...texts].map((text) => text.split(':')[2]));
    expect(ivs.size).toBe(50);
  });

  it('are AES-256-GCM with the context as additional data: a text made with node:crypto directly opens', () => {
    const iv = Buffer.alloc(12, 7);
    const cipher = createCipheriv('aes-256-gcm', KEY, iv);
    cipher.setAAD(Buffer.from(CONTEXT));
    const ciphertext = Buffer.concat([cipher.update('hello, world', 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
    expect(openSecret(KEY, `enc:v1:${parts.join(':')}`, CONTEXT)).toBe('hello, world');
  });

  it('keep any text: empty, Unicode, long', () => {
    for (const secret of ['', 'Ünïcødé 🔑', 'x'.repeat(10_000)]) {
      expect(openSecret(KEY, sealSecret(KEY, secret, CONTEXT), CONTEXT)).toBe(secret);
    }
  });

  it('do not open with another master key or another context', () => {
    const sealed = sealSecret(KEY, SECRET, CONTEXT);
    expect(openSecret(randomBytes(32), sealed, CONTEXT)).toBeUndefined();
    expect(openSecret(KEY, sealed, 'company:QAT88PF4NQUB50SOHFLIPQL9RT:api-key')).toBeUndefined();
  });

  it('do not open a text that was altered anywhere, or is malformed, or of an unknown version', () => {
    const sealed = sealSecret(KEY, SECRET, CONTEXT);
    const [prefix, version, iv, tag, ciphertext] = sealed.split(':') as [string, string, string, string, string];
    const flip = (part: string) => `${part[0] === 'A' ? 'B' : 'A'}${part.slice(1)}`;
    for (const text of [
      [prefix, version, flip(iv), tag, ciphertext].join(':'),
      [prefix, version, iv, flip(tag), ciphertext].join(':'),
      [prefix, version, iv, tag, flip(ciphertext)].join(':'),
      [prefix, version, iv, tag, ciphertext.slice(0, -2)].join(':'),
      [prefix, version, iv, tag].join(':'),
      [prefix, version, iv.slice(2), tag, ciphertext].join(':'),
      [prefix, version, iv, tag.slice(2), ciphertext].join(':'),
      [prefix, version, iv, tag, `${ciphertext}!`].join(':'),
      [prefix, 'v2', iv, tag, ciphertext].join(':'),
      SECRET,
      '',
    ]) {
      expect(openSecret(KEY, text, CONTEXT), text).toBeUndefined();
    }
  });

  it('refuse a master key that is not 32 bytes', () => {
    expect(() => sealSecret(randomBytes(16), SECRET, CONTEXT)).toThrow('A master key has 32 bytes.');
    expect(() => openSecret(randomBytes(16), 'enc:v1:a:b:c', CONTEXT)).toThrow('A master key has 32 bytes.');
  });
});

describe('isSealed', () => {
  it('tells a sealed text from a plain API key (hex)', () => {
    expect(isSealed(sealSecret(KEY, SECRET, CONTEXT))).toBe(true);
    expect(isSealed('enc:v2:whatever')).toBe(true);
    expect(isSealed(SECRET)).toBe(false);
    expect(isSealed('')).toBe(false);
  });
});
