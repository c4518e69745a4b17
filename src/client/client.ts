import { answer } from './answer.js';
import { SwitchboardNetworkError } from './errors.js';
import { accessToken } from './token.js';
import type {
  Absence,
  CallOptions,
  Endpoint,
  IsAccountAnswer,
  PersonInfoAnswer,
  PersonQuery,
  SavedAnswer,
  SwitchboardClientOptions,
} from './types.js';

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A typed client of the Accounts API: one method per endpoint, each a POST with a JSON body and the
 * daily token in `Authorization: Bearer`. An error answer throws `SwitchboardApiError`, no answer
 * `SwitchboardNetworkError`.
 *
 * @example
 * const client = new SwitchboardClient({ baseUrl: 'http://127.0.0.1:8080', companyId, apiKey });
 * const { exists } = await client.isAccount('anna@demo.example');
 */
export class SwitchboardClient {
  /** The base URL, ending in `/`. */
  readonly baseUrl: string;
  readonly companyId: string;
  // Private fields: neither the key nor the token provider shows in util.inspect or JSON.stringify.
  readonly #token: () => Promise<string>;
  readonly #fetch: typeof globalThis.fetch;
  readonly #timeoutMs: number;

  constructor(options: SwitchboardClientOptions) {
    const base = new URL(options.baseUrl);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.baseUrl = base.href;
    this.companyId = options.companyId;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#token = tokenSource(options);
  }

  /** Whether an account exists for `email`; `verified` is present when it is your company's. */
  isAccount(email: string, options?: CallOptions): Promise<IsAccountAnswer> {
    return this.#post('is-account', { email }, true, options);
  }

  /** A person's profile and availability, by talk-to-me identifier (public) or by email (your accounts). */
  personInfo(query: PersonQuery, options?: CallOptions): Promise<PersonInfoAnswer> {
    if (query.talkToMeId !== undefined) {
      const authenticated = query.withCredentials === true;
      return this.#post('person-info', { talkToMeId: query.talkToMeId }, authenticated, options);
    }
    return this.#post('person-info', { email: query.email }, true, options);
  }

  /** Replaces the absence of `accountEmail`: every field left out is cleared. */
  setOutOfOffice(absence: Absence, options?: CallOptions): Promise<SavedAnswer> {
    const { accountEmail, awayFrom, awayUntil, substitution, substitutionChannel } = absence;
    const params = { accountEmail, awayFrom, awayUntil, substitution, substitutionChannel };
    return this.#post('out-of-office', params, true, options);
  }

  /** Takes `accountEmail` out of conversation distribution (`dnd` true, the default) or back in. */
  setDoNotDisturb(accountEmail: string, dnd = true, options?: CallOptions): Promise<SavedAnswer> {
    return this.#post('do-not-disturb', { accountEmail, dnd }, true, options);
  }

  async #post<T>(
    endpoint: Endpoint,
    params: Record<string, unknown>,
    authenticated: boolean,
    options: CallOptions = {},
  ): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    let body = params;
    if (authenticated) {
      headers.authorization = `Bearer ${await this.#token()}`;
      body = { companyId: this.companyId, ...params };
    }
    const url = new URL(`api/${endpoint}`, this.baseUrl);
    const timeout = this.#timeoutMs > 0 ? AbortSignal.timeout(this.#timeoutMs) : undefined;
    const signals = [timeout, options.signal].filter((signal) => signal !== undefined);
    let status: number;
    let text: string;
    try {
      const response = await this.#fetch(url, {
        method: 'POST',
        headers,
        // JSON.stringify leaves out undefined values: a field not given is not sent.
        body: JSON.stringify(body),
        signal: signals.length > 0 ? AbortSignal.any(signals) : null,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      const where = `${url.origin}${url.pathname}`;
      if (timeout?.aborted) {
        const message = `${endpoint}: no answer from ${where} within ${this.#timeoutMs} ms.`;
        throw new SwitchboardNetworkError(endpoint, message, { cause: error, timedOut: true });
      }
      throw new SwitchboardNetworkError(endpoint, `${endpoint}: request to ${where} failed: ${reason(error)}`, {
        cause: error,
      });
    }
    return answer<T>(endpoint, status, text);
  }
}

/** How the client gets the token of a call: computed from the key, or asked from the provider. */
function tokenSource(options: SwitchboardClientOptions): () => Promise<string> {
  if (typeof options.token === 'function') {
    const provider = options.token;
    return async () => {
      const token = await provider();
      if (typeof token !== 'string' || token.trim() === '') {
        throw new TypeError('The token provider must return a non-empty string.');
      }
      return token.trim();
    };
  }
  const { apiKey, companyId } = options;
  const hash = options.hash ?? 'sha256';
  const now = options.now ?? (() => new Date());
  if (typeof apiKey !== 'string' || apiKey === '') throw new TypeError('Give either apiKey or a token provider.');
  if (hash !== 'sha256' && hash !== 'md5') throw new TypeError('hash must be sha256 or md5.');
  return async () => accessToken(apiKey, companyId, hash, now());
}

/** The most telling part of a fetch failure: undici hides the system error (ECONNREFUSED, ...) in `cause`. */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return error.message;
}
