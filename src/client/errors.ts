import type { Endpoint, ErrorAnswer } from './types.js';

/**
 * The server answered with an error: `status` is the HTTP status and `message` the contract's message,
 * exactly as sent. `body` is the error answer, or undefined when the answer was not Switchboard's JSON
 * (e.g. a proxy's HTML page).
 */
export class SwitchboardApiError extends Error {
  readonly endpoint: Endpoint;
  readonly status: number;
  readonly body: ErrorAnswer | undefined;

  constructor(endpoint: Endpoint, status: number, message: string, body?: ErrorAnswer) {
    super(message);
    this.name = 'SwitchboardApiError';
    this.endpoint = endpoint;
    this.status = status;
    this.body = body;
  }
}

/** No answer: the server could not be reached, the connection broke, or the call timed out. */
export class SwitchboardNetworkError extends Error {
  readonly endpoint: Endpoint;
  readonly timedOut: boolean;

  constructor(endpoint: Endpoint, message: string, options: { cause: unknown; timedOut?: boolean }) {
    super(message, { cause: options.cause });
    this.name = 'SwitchboardNetworkError';
    this.endpoint = endpoint;
    this.timedOut = options.timedOut ?? false;
  }
}
