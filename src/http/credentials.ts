import type { FastifyRequest } from 'fastify';

/**
 * Whether a request carries credentials: an `Authorization` header or a `key` parameter (query or
 * body) that is not blank, as the person-info route reads them (CONTRACT.md 6.2). A public lookup
 * has none; the browser rules and the rate limits treat the two kinds differently.
 */
export function sendsCredentials(request: FastifyRequest): boolean {
  if (request.headers.authorization?.trim()) return true;
  return isGiven((request.query as Record<string, unknown> | undefined)?.key) || isGiven(bodyKey(request.body));
}

function bodyKey(body: unknown): unknown {
  return body !== null && typeof body === 'object' && !Array.isArray(body)
    ? (body as { key?: unknown }).key
    : undefined;
}

/** Blank strings and `null` count as missing (CONTRACT.md 6.8); a repeated parameter is given if one of its values is. */
function isGiven(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.some(isGiven);
  return true;
}
