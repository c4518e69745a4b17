import type { HTTPMethods } from 'fastify';

/** Every endpoint of the public API takes GET (and so HEAD) and POST (CONTRACT.md 1). */
export const API_METHODS: HTTPMethods[] = ['GET', 'POST'];

/** Who the audit trail names for a change made through the public API. */
export function apiActor(companyId: string): string {
  return `api:company:${companyId}`;
}
