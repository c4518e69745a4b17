import type { Insertable, Selectable } from 'kysely';

export interface ChannelsTable {
  id: string;
  company_id: string;
  name: string;
  created_at: string;
}

export interface ChannelMembersTable {
  channel_id: string;
  account_id: string;
  added_at: string;
}

export type ChannelRow = Selectable<ChannelsTable>;
export type NewChannelRow = Insertable<ChannelsTable>;
