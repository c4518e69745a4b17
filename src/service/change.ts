/** Who makes a change and when: every write of the service layer takes one, for the audit trail. */
export interface Change {
  actor: string;
  now: Date;
}

export function timestamp(change: Change): string {
  return change.now.toISOString();
}
