import type { Generated, Insertable, Selectable } from 'kysely';

/** One recorded change: who did what to which subject, with the state before and after (JSON). */
export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  company_id: string | null;
  subject: string;
  before: string | null;
  after: string | null;
}

export type AuditRow = Selectable<AuditTable>;
export type NewAuditRow = Insertable<AuditTable>;
