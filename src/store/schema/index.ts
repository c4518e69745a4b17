import type { AccountsTable } from './accounts.js';
import type { AuditTable } from './audit.js';
import type { ChannelMembersTable, ChannelsTable } from './channels.js';
import type { CompaniesTable } from './companies.js';

export interface Database {
  companies: CompaniesTable;
  accounts: AccountsTable;
  channels: ChannelsTable;
  channel_members: ChannelMembersTable;
  audit: AuditTable;
}

export type * from './accounts.js';
export type * from './audit.js';
export type * from './channels.js';
export type * from './companies.js';
