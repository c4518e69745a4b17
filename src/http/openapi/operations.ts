import type { SwaggerTransformObject } from '@fastify/swagger';
import type { FastifySchema, RouteOptions } from 'fastify';
import { ErrorSchema } from '../schemas/common.js';
import { ACCOUNTS_API_TAG, ERROR_ANSWERS, OPTIONAL_AUTHENTICATION, PUBLIC_API_PREFIX } from './document.js';

/** Bodies that the endpoints with the same parameters in query and body accept (CONTRACT.md 1). */
const BODY_TYPES = ['application/x-www-form-urlencoded', 'application/json'];

/** Whether a route takes the same parameters from the query (GET) and from a body (POST). */
function mirrorsQueryInBody(route: RouteOptions, schema: FastifySchema): boolean {
  const methods = ([] as string[]).concat(route.method);
  return methods.includes('GET') && methods.includes('POST') && Boolean(schema.querystring) && !schema.body;
}

/**
 * An answer with its own meaning. The Error body is shared (`addSchema`) and referenced, so that
 * the document holds it once, under components.
 */
function describedAs(answer: unknown, description: string): object {
  if (answer === ErrorSchema) return { $ref: `${(ErrorSchema as { $id?: string }).$id}#`, description };
  return { ...(answer as object), 'x-response-description': description };
}

/**
 * A route's answers, each described. On the public API the `4xx` and `5xx` answers are spelled out as
 * the individual codes of the contract; other routes (the admin API) keep their ranges.
 */
function describedAnswers(response: Record<string, unknown>, isPublicApi: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(response)) {
    const range = status.toLowerCase();
    if ((range === '4xx' || range === '5xx') && isPublicApi) {
      for (const [code, meaning] of Object.entries(ERROR_ANSWERS)) {
        if (meaning.range === range && !(code in response)) result[code] = describedAs(answer, meaning.description);
      }
    } else if (range === '4xx' || range === '5xx') {
      result[status] = describedAs(answer, range === '4xx' ? 'Client error.' : 'Server error.');
    } else if (answer === ErrorSchema) {
      result[status] = describedAs(answer, (isPublicApi && ERROR_ANSWERS[status]?.description) || 'Error.');
    } else if (status === '200' && !(answer as { description?: string }).description) {
      result[status] = describedAs(answer, 'Success.');
    } else {
      result[status] = answer;
    }
  }
  return result;
}

/**
 * @fastify/swagger's `transform`, per route: the public API's tag and error codes, and a body for
 * the POST of a route that takes its parameters from the query or a body.
 */
export function routeTransform({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }) {
  if (!schema || schema.hide) return { schema, url };
  const result: FastifySchema = { ...schema };
  const isPublicApi = url.startsWith(PUBLIC_API_PREFIX);
  if (!result.tags && isPublicApi) result.tags = [ACCOUNTS_API_TAG];
  if (result.response) result.response = describedAnswers(result.response as Record<string, unknown>, isPublicApi);
  if (mirrorsQueryInBody(route, schema)) {
    result.body = schema.querystring;
    result.consumes = BODY_TYPES;
  }
  return { schema: result, url };
}

interface Parameter {
  name?: string;
  in?: string;
  description?: string;
  example?: unknown;
  schema?: { examples?: unknown[] };
}

/** The parts of an OpenAPI operation that the document's final touches read and change. */
interface Operation {
  operationId?: string;
  description?: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  responses?: Record<string, { headers?: Record<string, unknown> }>;
  security?: Record<string, string[]>[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type Method = (typeof METHODS)[number];

/** `getApiIsAccount` for GET /api/is-account: unique per method and path, readable in deep links. */
function operationId(method: Method, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method + words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
}

function paragraphs(...texts: (string | undefined)[]): string {
  return texts.filter(Boolean).join('\n\n');
}

/**
 * A parameter's example back in its schema, where JSON Schema keeps it: Swagger UI fills a
 * parameter's own example into the "Try it out" field, and a sample companyId or token left in an
 * optional field makes the call fail.
 */
function withExampleInSchema(parameter: Parameter): Parameter {
  if (parameter.example === undefined) return parameter;
  const { example, ...rest } = parameter;
  const description = paragraphs(parameter.description, `Example: \`${String(example)}\``);
  return { ...rest, description, schema: { ...parameter.schema, examples: [example] } };
}

/**
 * @fastify/swagger gives a route one operation for all its methods. Each method gets its own here;
 * of a route that takes its parameters from the query or a body, GET keeps the query parameters
 * and POST the body.
 */
function forMethod(path: string, method: Method, shared: Operation, sharedByMethods: boolean): Operation {
  const operation: Operation = { ...shared };
  const body = shared.requestBody?.content?.['application/json']?.schema?.properties;
  if (method === 'get' && shared.requestBody) {
    delete operation.requestBody;
    operation.description = paragraphs(shared.description, '`HEAD` answers like `GET`, without a body.');
  }
  if (method === 'post' && body && shared.requestBody) {
    // Optional: the parameters may come in the query string instead.
    operation.requestBody = { ...shared.requestBody, required: false };
    const parameters = shared.parameters?.filter((p) => !(p.in === 'query' && p.name && p.name in body));
    if (parameters?.length) operation.parameters = parameters;
    else delete operation.parameters;
    operation.description = paragraphs(
      shared.description,
      'The parameters may also be sent in the query string; a body value wins over a query value.',
    );
  }
  if (operation.parameters) operation.parameters = operation.parameters.map(withExampleInSchema);
  if (!shared.operationId) operation.operationId = operationId(method, path);
  else if (sharedByMethods) operation.operationId = `${shared.operationId}-${method}`;
  return operation;
}

/** The public API takes the daily token as `key` or bearer; person-info by talkToMeId needs none. */
function withSecurity(path: string, operation: Operation): Operation {
  if (operation.security || !path.startsWith(PUBLIC_API_PREFIX)) return operation;
  const token: Record<string, string[]>[] = [{ key: [] }, { bearer: [] }];
  return { ...operation, security: OPTIONAL_AUTHENTICATION.has(path) ? [{}, ...token] : token };
}

function withAllowHeader(operation: Operation): Operation {
  const answer = operation.responses?.['405'];
  if (!answer) return operation;
  const allow = { description: 'The allowed methods.', schema: { type: 'string', examples: ['GET, HEAD, POST'] } };
  return { ...operation, responses: { ...operation.responses, 405: { ...answer, headers: { Allow: allow } } } };
}

/**
 * @fastify/swagger's `transformObject`, on the whole document: an operation per method, the public
 * API's security, and an entry in `tags` for every tag that an operation uses.
 */
export const documentTransform: SwaggerTransformObject = (documentObject) => {
  if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
  const document = documentObject.openapiObject;
  const paths = (document.paths ?? {}) as Record<string, Partial<Record<Method, Operation>>>;
  const tags = document.tags ?? [];
  for (const [path, item] of Object.entries(paths)) {
    const shared = METHODS.map((method) => item[method]);
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const sharedByMethods = shared.filter((other) => other === operation).length > 1;
      item[method] = withAllowHeader(withSecurity(path, forMethod(path, method, operation, sharedByMethods)));
      for (const tag of operation.tags ?? []) {
        if (!tags.some((known) => known.name === tag)) tags.push({ name: tag });
      }
    }
  }
  document.tags = tags;
  return document;
};
