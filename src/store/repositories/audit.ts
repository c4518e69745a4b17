import type { AuditRow } from '../schema/index.js';
import type { Db } from '../store.js';

export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  companyId: string | null;
  subject: string;
  before: unknown;
  after: unknown;
}

/** Records a change; call it inside the transaction that makes the change, so both commit or neither. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit')
    .values({
      at: entry.at,
      actor: entry.actor,
      action: entry.action,
      company_id: entry.companyId,
      subject: entry.subject,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export interface AuditQuery {
  companyId?: string;
  action?: string;
  actor?: string;
  subject?: string;
  /** ISO timestamps: `since <= at < until`. */
  since?: string;
  until?: string;
  /** Keyset cursor: only entries with a smaller id (older ones). */
  beforeId?: number;
  limit: number;
}

/** Entries that match every given filter, newest (highest id) first. */
export function queryAudit(db: Db, filter: AuditQuery): Promise<AuditRow[]> {
  let query = db.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.companyId !== undefined) query = query.where('company_id', '=', filter.companyId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.actor !== undefined) query = query.where('actor', '=', filter.actor);
  if (filter.subject !== undefined) query = query.where('subject', '=', filter.subject);
  // Timestamps are stored as ISO 8601 UTC text of one fixed format, so they compare as text.
  if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('at', '<', filter.until);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  return query.execute();
}
