export const ONLINE_STATES = ['ONLINE', 'AWAY', 'OFFLINE'] as const;
export type OnlineState = (typeof ONLINE_STATES)[number];

export function isOnlineState(text: string): text is OnlineState {
  return (ONLINE_STATES as readonly string[]).includes(text);
}
