// Types only: `import type` is erased from the build, so no server module reaches the client at run time.
import type { Static } from 'typebox';
import type { ErrorSchema, SavedSchema } from '../http/schemas/common.js';
import type { IsAccountAnswer as IsAccountSchema } from '../http/schemas/is-account.js';
import type { OutOfOfficeParams } from '../http/schemas/out-of-office.js';
import type { PersonInfoAnswer as PersonInfoSchema } from '../http/schemas/person-info.js';

export type Endpoint = 'is-account' | 'person-info' | 'out-of-office' | 'do-not-disturb';

export type HashFunction = 'sha256' | 'md5';

/** The answer of `is-account`: `verified` only for an account of your company. */
export type IsAccountAnswer = Static<typeof IsAccountSchema>;

/** The answer of `person-info`: the profile and availability of a person. */
export type PersonInfoAnswer = Static<typeof PersonInfoSchema>;

/** The answer of the writing endpoints, `out-of-office` and `do-not-disturb`. */
export type SavedAnswer = Static<typeof SavedSchema>;

/** The body of every error answer (4xx and 5xx). */
export type ErrorAnswer = Static<typeof ErrorSchema>;

/** An absence to set: each call replaces the whole absence, and a field left out is cleared. */
export type Absence = Omit<Static<typeof OutOfOfficeParams>, 'companyId' | 'key'>;

/**
 * Whom `personInfo` looks up. By talk-to-me identifier the lookup is public and sends no credentials,
 * unless `withCredentials` is true: then the answer carries `email` (and shows locked accounts) when
 * your company owns the account, and wrong credentials are refused with 403. By email the lookup
 * always sends the credentials and finds only your company's accounts.
 */
export type PersonQuery =
  | { talkToMeId: string; withCredentials?: boolean; email?: never }
  | { email: string; talkToMeId?: never };

/** Per-call options. */
export interface CallOptions {
  /** Aborts the call; the signal's reason is thrown as it is. */
  signal?: AbortSignal;
}

interface CommonOptions {
  /** Where the server runs, e.g. `http://127.0.0.1:8080` (a path prefix such as `https://host/switchboard/` is kept). */
  baseUrl: string | URL;
  /** Your company's identifier. */
  companyId: string;
  /** The fetch to use (default: Node's global fetch), e.g. to add a proxy or record calls. */
  fetch?: typeof globalThis.fetch;
  /** Milliseconds a call may take, answer included, before it fails with a `SwitchboardNetworkError`; 0 waits forever. Default 10 000. */
  timeoutMs?: number;
}

/** The client computes the daily token from your API key, which it keeps to itself and never sends. */
export interface ApiKeyOptions extends CommonOptions {
  apiKey: string;
  /** Your company's hash function (default `sha256`). */
  hash?: HashFunction;
  /** The clock that picks the token's day (default: the real time). Tests set it to the server's clock. */
  now?: () => Date;
  token?: never;
}

/** The client asks `token` for the token before every authenticated call (e.g. from a secrets service). */
export interface TokenProviderOptions extends CommonOptions {
  token: () => string | Promise<string>;
  apiKey?: never;
  hash?: never;
  now?: never;
}

export type SwitchboardClientOptions = ApiKeyOptions | TokenProviderOptions;
