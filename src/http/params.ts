import type { FastifyRequest } from 'fastify';
import type { Static, TObject, TSchema } from 'typebox';
import { isIsoDate } from '../domain/calendar.js';
import { isValidEmail } from '../domain/email.js';
import { fail } from '../domain/errors.js';
import { parseFlag } from '../domain/flag.js';

/**
 * The parameters of a request, as the contract reads them (CONTRACT.md 1 and 6.8): query and body
 * (form or JSON) merged, a body value winning over a query value; values trimmed; empty values and
 * JSON `null` dropped before the merge. Problems of a single value are kept until the format
 * check, because a missing parameter must be reported before a malformed one.
 */
export class RequestParams {
  private readonly values = new Map<string, unknown[]>();

  constructor(request: FastifyRequest) {
    const body = request.body;
    if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
      fail('BODY_NOT_OBJECT');
    }
    this.merge(request.query as Record<string, unknown>, true);
    // The query and form parsers turn a repeated parameter into an array; in JSON an array is one value.
    if (body) this.merge(body as Record<string, unknown>, !isJson(request));
  }

  private merge(source: Record<string, unknown>, arraysAreRepeats: boolean): void {
    for (const [name, raw] of Object.entries(source)) {
      const given = (arraysAreRepeats && Array.isArray(raw) ? raw : [raw]).map(trim).filter(isGiven);
      if (given.length > 0) this.values.set(name, given);
    }
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  /** The first parameter of `names` that is missing gets its 400. */
  require(...names: string[]): void {
    for (const name of names) if (!this.has(name)) fail('PARAMETER_MISSING', name);
  }

  /**
   * Checks the given parameters of `schema`, in the schema's order, against their type and format,
   * and returns them typed. A parameter that is not in `only` (when given) is not read at all.
   */
  read<S extends TObject>(schema: S, only?: readonly (keyof Static<S> & string)[]): Partial<Static<S>> {
    const result: Record<string, string | boolean> = {};
    for (const [name, property] of Object.entries(schema.properties as Record<string, TSchema>)) {
      const values = this.values.get(name);
      if (values === undefined || (only && !only.includes(name))) continue;
      if (values.length > 1) fail('PARAMETER_REPEATED', name);
      result[name] = checkValue(name, values[0], property);
    }
    return result as Partial<Static<S>>;
  }
}

/** Reads an endpoint whose required parameters are the schema's `required` list (`key` aside). */
export function readParams<S extends TObject>(request: FastifyRequest, schema: S): Static<S> {
  const params = new RequestParams(request);
  params.require(...(schema.required ?? []).filter((name) => name !== 'key'));
  return params.read(schema) as Static<S>;
}

function checkValue(name: string, value: unknown, schema: TSchema): string | boolean {
  if (isFlagSchema(schema)) {
    if (typeof value !== 'string' && typeof value !== 'boolean') fail('PARAMETER_NOT_STRING', name);
    return parseFlag(value) ?? fail('PARAMETER_NOT_FLAG', name);
  }
  if (typeof value !== 'string') fail('PARAMETER_NOT_STRING', name);
  const format = (schema as { format?: string }).format;
  if (format === 'email' && !isValidEmail(value)) fail('PARAMETER_NOT_EMAIL', name);
  if (format === 'date' && !isIsoDate(value)) fail('PARAMETER_NOT_DATE', name);
  return value;
}

function isFlagSchema(schema: TSchema): boolean {
  const anyOf = (schema as { anyOf?: { type?: string }[] }).anyOf;
  return anyOf?.some((member) => member.type === 'boolean') ?? false;
}

function isJson(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().includes('json');
}

function trim(value: unknown): unknown {
  return typeof value === 'string' ? value.trim() : value;
}

function isGiven(value: unknown): boolean {
  return value !== '' && value !== null && value !== undefined;
}
