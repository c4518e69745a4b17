import type { AuditEntry } from '../store/repositories/audit.js';
import type { Db } from '../store/store.js';
import { searchAudit } from './audit-query.js';

/** An audit entry as the CLI and the admin API show it: the recorded change and its id. */
export interface AuditJson extends AuditEntry {
  id: number;
}

/** The most recent entries, newest first: the first page of `searchAudit` (`switchboard audit`). */
export async function recentAudit(db: Db, filter: { companyId?: string; limit?: number }): Promise<AuditJson[]> {
  return (await searchAudit(db, filter)).entries;
}
