/**
 * The typed client of Switchboard's Accounts API, published as `switchboard/client`. It needs nothing
 * but Node 20 (built-in fetch and node:crypto) and imports no server code.
 */
export { SwitchboardClient } from './client.js';
export { SwitchboardApiError, SwitchboardNetworkError } from './errors.js';
export { accessToken, utcDay } from './token.js';
export type {
  Absence,
  ApiKeyOptions,
  CallOptions,
  Endpoint,
  ErrorAnswer,
  HashFunction,
  IsAccountAnswer,
  PersonInfoAnswer,
  PersonQuery,
  SavedAnswer,
  SwitchboardClientOptions,
  TokenProviderOptions,
} from './types.js';
