/**
 * Every error Switchboard reports, with its HTTP status and message: the one table that the public
 * API, the admin API and the CLI share. Messages are the contract's (CONTRACT.md, sections 2 and 6).
 */
export const ERRORS = {
  PARAMETER_MISSING: { status: 400, message: (name: string) => `The parameter ${name} must be filled.` },
  PARAMETER_REPEATED: { status: 400, message: (name: string) => `The parameter ${name} must be given only once.` },
  PARAMETER_NOT_STRING: { status: 400, message: (name: string) => `The parameter ${name} must be a string.` },
  PARAMETER_NOT_EMAIL: {
    status: 400,
    message: (name: string) => `The parameter ${name} must be a valid email address.`,
  },
  PARAMETER_NOT_DATE: {
    status: 400,
    message: (name: string) => `The parameter ${name} must be a date in the format YYYY-MM-DD.`,
  },
  PARAMETER_NOT_FLAG: {
    status: 400,
    message: (name: string) => `The parameter ${name} must be a boolean: true/false, 1/0, yes/no or on/off.`,
  },
  ABSENCE_REVERSED: { status: 400, message: () => 'The parameter awayFrom must not be after awayUntil.' },
  SUBSTITUTE_UNKNOWN: {
    status: 400,
    message: () =>
      'The parameter substitution must be the email or talk-to-me identifier of an account of your company.',
  },
  SUBSTITUTE_IS_SELF: {
    status: 400,
    message: () => 'The parameter substitution must name another account than accountEmail.',
  },
  SUBSTITUTE_LOCKED: { status: 400, message: () => 'The parameter substitution names a locked account.' },
  CHANNEL_UNKNOWN: {
    status: 400,
    message: () => 'The parameter substitutionChannel must be the identifier of a channel of your company.',
  },
  BODY_NOT_OBJECT: { status: 400, message: () => 'The request body must be a JSON object.' },
  BODY_NOT_JSON: { status: 400, message: () => 'The request body is not valid JSON.' },
  MALFORMED_REQUEST: { status: 400, message: () => 'The request is malformed.' },
  AUTHENTICATION_REQUIRED: {
    status: 401,
    message: () => 'Authentication required: send the access key as parameter key or in the Authorization header.',
  },
  AUTHENTICATION_INVALID: { status: 403, message: () => 'Invalid authentication.' },
  ACCOUNT_OF_OTHER_COMPANY: {
    status: 403,
    message: (name: string) => `The account given as ${name} does not belong to your company.`,
  },
  ACCOUNT_LOCKED: { status: 403, message: (name: string) => `The account given as ${name} is locked.` },
  ACCOUNT_NOT_FOUND: { status: 404, message: (name: string) => `No account was found for the parameter ${name}.` },
  RESOURCE_NOT_FOUND: { status: 404, message: () => 'Resource not found.' },
  METHOD_NOT_ALLOWED: { status: 405, message: () => 'Method not allowed: use GET, HEAD or POST.' },
  REQUEST_TOO_LARGE: { status: 413, message: () => 'Request too large.' },
  UNSUPPORTED_CONTENT_TYPE: {
    status: 415,
    message: () => 'Unsupported content type: send application/x-www-form-urlencoded or application/json.',
  },
  UNEXPECTED: { status: 500, message: () => 'Unexpected server-side error.' },
  DATABASE_UNAVAILABLE: {
    status: 503,
    message: () => 'Service unavailable: the database cannot be reached. Try again shortly.',
  },
  // Hardening (README, "Operations"): rate limits, load shedding, the metrics token.
  RATE_LIMITED: { status: 429, message: (seconds: string) => `Too many requests: try again in ${seconds} seconds.` },
  OVERLOADED: { status: 503, message: () => 'Service overloaded: try again shortly.' },
  METRICS_AUTHENTICATION_REQUIRED: {
    status: 401,
    message: () => 'Authentication required: send the metrics token as Authorization: Bearer <token>.',
  },
  // Raised by the operator's tools (CLI, admin API); never by the public API.
  COMPANY_NOT_FOUND: { status: 404, message: (id: string) => `No company ${id}.` },
  CHANNEL_NOT_FOUND: { status: 404, message: (id: string) => `No channel ${id}.` },
  ACCOUNT_EMAIL_NOT_FOUND: { status: 404, message: (email: string) => `No account ${email}.` },
  ACCOUNT_EXISTS: { status: 409, message: (email: string) => `An account ${email} exists already.` },
  INVALID_VALUE: { status: 400, message: (what: string) => `Invalid ${what}.` },
  // The admin API (README, "Admin API").
  ADMIN_AUTHENTICATION_REQUIRED: {
    status: 401,
    message: () => 'Authentication required: send the operator token as Authorization: Bearer <token>.',
  },
  REQUEST_INVALID: { status: 400, message: (detail: string) => `Invalid request: ${detail}.` },
  CSV_REQUIRED: { status: 415, message: () => 'Unsupported content type: send the accounts as text/csv.' },
  CSV_INVALID: { status: 400, message: (detail: string) => `Invalid CSV: ${detail}.` },
  CSV_DUPLICATE_EMAIL: {
    status: 400,
    message: (detail: string) => `The email ${detail} appears in an earlier row of the file.`,
  },
  IMPORT_REJECTED: {
    status: 400,
    message: (count: string) => `No account was imported: ${count} of the file failed (atomic=true).`,
  },
} as const satisfies Record<string, { status: number; message: (arg: string) => string }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error of the table; the HTTP layer and the CLI turn it into their own output. */
export class SwitchboardError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    arg = '',
  ) {
    super(ERRORS[code].message(arg));
    this.name = 'SwitchboardError';
    this.status = ERRORS[code].status;
  }
}

export function fail(code: ErrorCode, arg?: string): never {
  throw new SwitchboardError(code, arg);
}
