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

/** The most recent entries first. */
export function listAudit(db: Db, filter: { companyId?: string; limit: number }): Promise<AuditRow[]> {
  let query = db.selectFrom('audit').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.companyId !== undefined) query = query.where('company_id', '=', filter.companyId);
  return query.execute();
}
