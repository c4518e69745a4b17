import { isIsoDate } from '../domain/calendar.js';
import { fail } from '../domain/errors.js';
import * as audit from '../store/repositories/audit.js';
import type { AuditRow } from '../store/schema/index.js';
import type { Db } from '../store/store.js';
import type { AuditJson } from './audit.js';
import { getCompany } from './companies.js';

export const DEFAULT_AUDIT_LIMIT = 50;
export const MAX_AUDIT_LIMIT = 10_000;

/** Filters of the audit trail; every given one must match. */
export interface AuditFilter {
  companyId?: string;
  /** Exact action, e.g. `account.update`. */
  action?: string;
  /** Exact actor, e.g. `admin` or `cli:alice`. */
  actor?: string;
  /** Exact subject, e.g. `account:anna@demo.example` or `company:<id>`. */
  subject?: string;
  /** `YYYY-MM-DD` (midnight UTC) or an ISO 8601 date-time with zone; `since <= at < until`. */
  since?: string;
  until?: string;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  limit?: number;
}

export interface AuditPage {
  entries: AuditJson[];
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/**
 * One page of the audit trail, newest first. The cursor is the id of the page's last entry, so
 * entries recorded meanwhile neither shift later pages nor appear twice.
 */
export async function searchAudit(db: Db, filter: AuditFilter): Promise<AuditPage> {
  const limit = filter.limit ?? DEFAULT_AUDIT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_AUDIT_LIMIT)
    fail('INVALID_VALUE', `limit ${limit}: use 1 to ${MAX_AUDIT_LIMIT}`);
  const since = filter.since === undefined ? undefined : instant(filter.since, 'since');
  const until = filter.until === undefined ? undefined : instant(filter.until, 'until');
  const beforeId = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  const companyId = filter.companyId === undefined ? undefined : (await getCompany(db, filter.companyId)).id;
  const { action, actor, subject } = filter;
  // One row more than asked tells whether another page follows.
  const rows = await audit.queryAudit(db, {
    companyId,
    action,
    actor,
    subject,
    since,
    until,
    beforeId,
    limit: limit + 1,
  });
  const entries = rows.slice(0, limit).map(auditJson);
  const last = entries.at(-1);
  return { entries, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}

export function auditJson(row: AuditRow): AuditJson {
  return {
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    action: row.action,
    companyId: row.company_id,
    subject: row.subject,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
  };
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** A filter bound as the stored form of `at` (ISO 8601 UTC with milliseconds). */
function instant(text: string, name: string): string {
  const day = text.slice(0, 10);
  if (day === text && isIsoDate(day)) return `${day}T00:00:00.000Z`;
  const time = DATE_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(time) || !isIsoDate(day)) {
    fail('INVALID_VALUE', `${name} ${text}: use YYYY-MM-DD or an ISO 8601 date-time such as 2026-11-25T08:00:00Z`);
  }
  return new Date(time).toISOString();
}

const CURSOR_PREFIX = 'audit:';

/** Opaque to clients: the id of the last entry they have seen. */
function encodeCursor(id: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith(CURSOR_PREFIX) ? Number(text.slice(CURSOR_PREFIX.length)) : Number.NaN;
  return Number.isSafeInteger(id) && id > 0
    ? id
    : fail('INVALID_VALUE', 'cursor: pass the nextCursor of a previous page');
}
