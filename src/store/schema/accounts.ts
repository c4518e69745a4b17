import type { Insertable, Selectable, Updateable } from 'kysely';
import type { OnlineState } from '../../domain/online-state.js';

/** Flags are 0/1 integers: SQLite has no boolean type and binds no JS boolean. */
export type Flag = 0 | 1;

export interface AccountsTable {
  id: string;
  email: string;
  /** Trimmed, lower-cased email: the unique, case-insensitive key. */
  email_key: string;
  company_id: string | null;
  name: string;
  talk_to_me_id: string;
  avatar: string | null;
  phone: string | null;
  mobile: string | null;
  position: string | null;
  verified: Flag;
  locked: Flag;
  dnd: Flag;
  online_state: OnlineState;
  away_from: string | null;
  away_until: string | null;
  substitute_account_id: string | null;
  substitute_channel_id: string | null;
  created_at: string;
  updated_at: string;
}

export type AccountRow = Selectable<AccountsTable>;
export type NewAccountRow = Insertable<AccountsTable>;
export type AccountUpdate = Updateable<AccountsTable>;
