import type { FastifySchemaValidationError } from 'fastify';

/** How a message names the part of the request that failed its schema. */
const PARTS: Record<string, { whole: string; field: string }> = {
  body: { whole: 'the body', field: 'body property' },
  querystring: { whole: 'the query string', field: 'query parameter' },
  params: { whole: 'the path', field: 'path parameter' },
  headers: { whole: 'the headers', field: 'header' },
};

/**
 * One sentence for the first problem that a schema validator (TypeBox, in the admin API) found,
 * naming the field: `body property email must be string`, `query parameter foo is not allowed`.
 */
export function describeValidation(errors: FastifySchemaValidationError[], context = 'body'): string {
  const part = PARTS[context] ?? { whole: `the ${context}`, field: `${context} field` };
  // TypeBox reports a forbidden property twice: as `schema is false` and as additionalProperties.
  const first = errors.find((error) => error.keyword !== 'boolean') ?? errors[0];
  if (!first) return `${part.whole} does not match its schema`;
  const path = first.instancePath.split('/').filter(Boolean).map(unescapePointer).join('.');
  const field = (name: string) => `${part.field} ${path ? `${path}.` : ''}${name}`;
  const where = path ? `${part.field} ${path}` : part.whole;
  const params = first.params as Record<string, unknown>;
  if (first.keyword === 'required') {
    const names = asList(params.requiredProperties ?? params.missingProperty);
    return `${names.map(field).join(', ')} ${names.length > 1 ? 'are' : 'is'} required`;
  }
  if (first.keyword === 'additionalProperties') {
    const names = asList(params.additionalProperties ?? params.additionalProperty);
    return `${names.map(field).join(', ')} ${names.length > 1 ? 'are' : 'is'} not allowed`;
  }
  // A union (such as string or null) fails once per member; name the types it accepts.
  const union = errors.find((error) => error.keyword === 'anyOf' && error.instancePath === first.instancePath);
  if (union) {
    const types = errors
      .filter((error) => error.keyword === 'type' && error.instancePath === first.instancePath)
      .map((error) => String((error.params as { type?: unknown }).type));
    if (types.length > 0) return `${where} must be ${types.join(' or ')}`;
  }
  return `${where} ${first.message ?? 'is invalid'}`;
}

function asList(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).filter((name) => name !== undefined).map(String);
}

/** JSON Pointer escapes: `~1` is `/`, `~0` is `~`. */
function unescapePointer(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}
