import { fail } from '../domain/errors.js';
import { listAudit } from '../store/repositories/audit.js';
import type { Db } from '../store/store.js';
import { getCompany } from './companies.js';

export interface AuditJson {
  id: number;
  at: string;
  actor: string;
  action: string;
  companyId: string | null;
  subject: string;
  before: unknown;
  after: unknown;
}

const MAX_LIMIT = 10_000;

export async function recentAudit(db: Db, filter: { companyId?: string; limit?: number }): Promise<AuditJson[]> {
  const limit = filter.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
    fail('INVALID_VALUE', `limit ${limit}: use 1 to ${MAX_LIMIT}`);
  const companyId = filter.companyId === undefined ? undefined : (await getCompany(db, filter.companyId)).id;
  const rows = await listAudit(db, { companyId, limit });
  return rows.map((row) => ({
    id: Number(row.id),
    at: row.at,
    actor: row.actor,
    action: row.action,
    companyId: row.company_id,
    subject: row.subject,
    before: row.before === null ? null : JSON.parse(row.before),
    after: row.after === null ? null : JSON.parse(row.after),
  }));
}
