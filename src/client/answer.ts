import { SwitchboardApiError } from './errors.js';
import type { Endpoint, ErrorAnswer } from './types.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The success answer, or the error answer thrown as `SwitchboardApiError`. */
export function answer<T>(endpoint: Endpoint, status: number, text: string): T {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isRecord(body)) {
    if (body.success === true && status >= 200 && status < 300) return body as T;
    if (body.success === false && typeof body.message === 'string') {
      throw new SwitchboardApiError(endpoint, status, body.message, body as ErrorAnswer);
    }
  }
  throw new SwitchboardApiError(
    endpoint,
    status,
    `${endpoint}: unexpected answer (HTTP ${status}), not Switchboard's JSON.`,
  );
}
