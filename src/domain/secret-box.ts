import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets sealed with AES-256-GCM under a master key, as versioned text that fits a text column:
 * `enc:v1:<iv>:<tag>:<ciphertext>`, each part base64url. A fresh random 12-byte IV per value means
 * that the same secret never seals to the same text; the 16-byte tag makes any change to the text,
 * or a wrong master key, detectable. The `context` (e.g. the company id) is authenticated too, so a
 * sealed value copied to another row does not open there.
 */
const ALGORITHM = 'aes-256-gcm';
const PREFIX = 'enc:';
const VERSION_1 = 'enc:v1:';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const HEX_KEY = /^[0-9a-fA-F]{64}$/;
// 32 bytes are 43 base64 characters and one `=` of padding; both alphabets (standard and URL-safe).
const BASE64_KEY = /^(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?$/;

/**
 * The 32 bytes of a master key written as 64 hex characters or in base64 (standard or URL-safe),
 * or undefined when the text is neither. Surrounding white space (a trailing newline) is ignored.
 *
 * @example parseMasterKey(randomBytes(32).toString('hex'))
 */
export function parseMasterKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (HEX_KEY.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!BASE64_KEY.test(trimmed)) return undefined;
  const encoding = /[-_]/.test(trimmed) ? 'base64url' : 'base64';
  const key = Buffer.from(trimmed, encoding);
  // Node decodes leniently: only text that encodes back to itself is a key rather than a typo.
  const canonical = key.toString(encoding).replace(/=+$/, '');
  return key.length === KEY_BYTES && canonical === trimmed.replace(/=+$/, '') ? key : undefined;
}

/** Whether a stored text is a sealed secret (of any version) rather than the secret itself. */
export function isSealed(text: string): boolean {
  return text.startsWith(PREFIX);
}

/** Seals `secret` under `masterKey`; `context` must be given again to open it. */
export function sealSecret(masterKey: Buffer, secret: string, context: string): string {
  checkKey(masterKey);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, masterKey, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));
  return `${VERSION_1}${parts.join(':')}`;
}

/**
 * The secret of a sealed text, or undefined when it does not open: another master key or context,
 * an altered or malformed text, or an unknown version.
 */
export function openSecret(masterKey: Buffer, sealed: string, context: string): string | undefined {
  checkKey(masterKey);
  if (!sealed.startsWith(VERSION_1)) return undefined;
  const parts = sealed.slice(VERSION_1.length).split(':');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]*$/.test(part))) return undefined;
  const [iv, tag, ciphertext] = parts.map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv(ALGORITHM, masterKey, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function checkKey(masterKey: Buffer): void {
  if (masterKey.length !== KEY_BYTES) throw new Error(`A master key has ${KEY_BYTES} bytes.`);
}
