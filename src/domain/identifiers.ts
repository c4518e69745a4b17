import { randomBytes, randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const IDENTIFIER_LENGTH = 26;
const IDENTIFIER = /^[A-Z0-9]{26}$/;

/** A random identifier of 26 characters `[A-Z0-9]` (about 134 bits), as for companies, talk-to-me ids and channels. */
export function newIdentifier(): string {
  let id = '';
  for (let i = 0; i < IDENTIFIER_LENGTH; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}

/** Identifiers match case-insensitively; the canonical form is upper case. */
export function normalizeIdentifier(text: string): string {
  return text.toUpperCase();
}

export function isIdentifier(text: string): boolean {
  return IDENTIFIER.test(normalizeIdentifier(text));
}

/** A new secret API key: 32 random bytes as 64 hex characters, easy to paste into any shell. */
export function newApiKey(): string {
  return randomBytes(32).toString('hex');
}
