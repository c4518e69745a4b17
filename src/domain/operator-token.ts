import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether the presented operator token is the configured one. Both are hashed first, so the
 * comparison takes the same time whatever the lengths, and it is constant-time on the digests.
 */
export function isOperatorToken(presented: string, expected: string): boolean {
  return timingSafeEqual(digest(presented), digest(expected));
}
