import type { Db } from '../store/store.js';
import { searchAudit } from './audit-query.js';

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

/** The most recent entries, newest first: the first page of `searchAudit` (`switchboard audit`). */
export async function recentAudit(db: Db, filter: { companyId?: string; limit?: number }): Promise<AuditJson[]> {
  return (await searchAudit(db, filter)).entries;
}
