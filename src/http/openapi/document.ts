import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';

/** The paths of the public API (CONTRACT.md): the contract's error table and token apply to them. */
export const PUBLIC_API_PREFIX = '/api/';

/** Tag of the routes under `/api/`; other routes bring their own tags (the admin API: 'Admin'). */
export const ACCOUNTS_API_TAG = 'Accounts API';

/** Public lookups that take a token but do not need one (CONTRACT.md 4, person-info by talkToMeId). */
export const OPTIONAL_AUTHENTICATION = new Set(['/api/person-info']);

/** What the public API's `4xx` and `5xx` answers stand for: CONTRACT.md section 2, and 503. */
export const ERROR_ANSWERS: Record<string, { range: '4xx' | '5xx'; description: string }> = {
  400: {
    range: '4xx',
    description: 'A parameter is missing, empty, given twice or malformed; or the body is not a JSON object.',
  },
  401: { range: '4xx', description: 'Authentication required: no `key` parameter and no `Authorization` header.' },
  403: { range: '4xx', description: 'Invalid authentication, or the account belongs to another company or is locked.' },
  404: { range: '4xx', description: 'The account, talk-to-me identifier or path does not exist.' },
  405: { range: '4xx', description: 'Method not allowed: use GET, HEAD or POST.' },
  413: { range: '4xx', description: 'Request too large: query string over 8 KiB or body over 64 KiB.' },
  415: {
    range: '4xx',
    description: 'Unsupported content type: send application/x-www-form-urlencoded or application/json.',
  },
  500: { range: '5xx', description: 'Unexpected server-side error (the detail goes to the server log only).' },
  503: {
    range: '5xx',
    description: 'Service unavailable: the database cannot be reached; try again after `Retry-After`.',
  },
};

const TOKEN_FORMULA = [
  '```',
  'today = floor(unix_time_seconds / 86400)            -- whole UTC days since 1970-01-01, as decimal text',
  'token = H(apiKey + H(apiKey + companyId + today))   -- + concatenates; H gives lower-case hex',
  '```',
  '',
  "H is the company's hash function: SHA-256 (default) or MD5. Tokens of yesterday, today and tomorrow are accepted.",
].join('\n');

const DESCRIPTION = `The Accounts API of Switchboard: check whether an account exists, read a person's profile and
availability, set an absence with a substitute, and toggle do-not-disturb.

Every endpoint takes \`GET\` with the parameters in the query string, \`HEAD\` (like \`GET\` without a body) and
\`POST\` with the same parameters in an \`application/x-www-form-urlencoded\` or \`application/json\` body (a body
value wins over a query value). Parameters are trimmed and an empty value counts as missing.

Every answer is JSON. A success starts with \`"success": true, "error": false\`; an error is
\`{"success": false, "error": true, "message": "..."}\`.

## Authentication: the daily access token

The API key itself is never sent. Each call carries the token of the day, as the \`key\` parameter or in the
\`Authorization\` header (bare, or \`Bearer <token>\`; the header wins):

${TOKEN_FORMULA}`;

/** The document's own parts: info, the public API's tag, and the two ways to send the daily token. */
export function documentBase(version: string): FastifyDynamicSwaggerOptions['openapi'] {
  return {
    openapi: '3.1.0',
    info: { title: 'Switchboard Accounts API', version, description: DESCRIPTION },
    tags: [{ name: ACCOUNTS_API_TAG, description: "The public API that a company's own systems call." }],
    components: {
      securitySchemes: {
        key: {
          type: 'apiKey',
          in: 'query',
          name: 'key',
          description: `The daily access token as the \`key\` parameter (in a POST body too).\n\n${TOKEN_FORMULA}`,
        },
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: `The daily access token in the \`Authorization\` header, as \`Bearer <token>\` or bare; it wins over \`key\`.\n\n${TOKEN_FORMULA}`,
        },
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The operator token of the admin API (`SWITCHBOARD_ADMIN_TOKEN`), as `Authorization: Bearer <token>`. Without that variable the admin API is off.',
        },
      },
    },
  };
}
