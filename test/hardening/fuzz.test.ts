/**
 * Property-based fuzzing of the public API (issue 5, "Hardening"): random methods, parameters,
 * bodies, content types and Authorization headers against every endpoint, on one app per file.
 * Each case starts from a request that a company's own systems could send (real company ids,
 * tokens, emails, talk-to-me ids, channels, dates), so that a good part of the cases reach
 * authentication, the accounts and the writes, and then breaks it in up to three ways (a value
 * replaced by a look-alike, garbage, an injection string, a very long string or another JSON type;
 * a parameter dropped, repeated or added; a broken Authorization header), and sends it by any
 * method, in the query, a body or both, as form, JSON, broken JSON, multipart, text or bytes, with
 * an honest, a lying or no content type.
 *
 * Invariants, whatever arrives: the server answers (the inject never rejects); never 5xx; always
 * `application/json; charset=utf-8`; either the endpoint's success shape or exactly
 * `{success: false, error: true, message}` with one of the contract's statuses and messages; GET,
 * HEAD and POST are never 405 and any other method is 405 with `Allow: GET, HEAD, POST` (unless
 * the request is oversized or its Content-Length lies); HEAD has no body; no API key in any answer;
 * no 401 with an Authorization header; no email in a person-info answer to a request without
 * credentials; no CORS allowance on an answer to a request with credentials; a refused or reading
 * request changes nothing in the database, and a successful write adds exactly one audit entry and
 * creates or deletes nothing.
 *
 * Reproducible: the seed comes from SWITCHBOARD_FUZZ_SEED (default below) and is printed in the
 * test names and in every failure, with the command that replays it; SWITCHBOARD_FUZZ_RUNS is the
 * total number of cases, shared equally by the four endpoints (default 10,000 on SQLite and a
 * tenth of that on PostgreSQL, where every case costs a few round trips). `npm run fuzz` runs a
 * million on SQLite.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ERRORS, type ErrorCode } from '../../src/domain/errors.js';
import { buildApp } from '../../src/http/app.js';
import type { AppConfig } from '../../src/http/config.js';
import { setAbsence } from '../../src/service/absence.js';
import { setDoNotDisturb } from '../../src/service/do-not-disturb.js';
import type { Store } from '../../src/store/store.js';
import { PERSON_INFO_FIELDS } from '../contract.js';
import { openTestStore, TEST_DIALECT } from '../databases.js';
import { makeAccount, makeChannel, makeCompany, TEST_CHANGE, type TestCompany } from '../factories.js';
import { NOON } from '../helper.js';
import { type Fingerprint, fingerprint } from './fingerprint.js';

// ---------------------------------------------------------------------------------------------
// Settings

const DEFAULT_SEED = 20230810;
const DEFAULT_TOTAL_RUNS = TEST_DIALECT === 'postgres' ? 1_000 : 10_000;

function integerFromEnv(name: string, fallback: number, min: number): number {
  const text = process.env[name];
  if (text === undefined || text.trim() === '') return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be a whole number >= ${min}.`);
  return value;
}

const SEED = integerFromEnv('SWITCHBOARD_FUZZ_SEED', DEFAULT_SEED, -(2 ** 31)) | 0;
const TOTAL_RUNS = integerFromEnv('SWITCHBOARD_FUZZ_RUNS', DEFAULT_TOTAL_RUNS, 1);

const ENDPOINTS = ['/api/is-account', '/api/person-info', '/api/out-of-office', '/api/do-not-disturb'] as const;
type Endpoint = (typeof ENDPOINTS)[number];

const RUNS_PER_ENDPOINT = Math.ceil(TOTAL_RUNS / ENDPOINTS.length);
/** Generous: a case takes about 1 ms on SQLite and a few on PostgreSQL; the ceiling only stops a hang. */
const TIMEOUT_MS = 60_000 + RUNS_PER_ENDPOINT * (TEST_DIALECT === 'postgres' ? 100 : 25);

/** Parameters of each endpoint, in the reference's order. */
const PARAMETERS: Record<Endpoint, readonly string[]> = {
  '/api/is-account': ['companyId', 'email', 'key'],
  '/api/person-info': ['companyId', 'key', 'talkToMeId', 'email'],
  '/api/out-of-office': [
    'accountEmail',
    'companyId',
    'key',
    'awayFrom',
    'awayUntil',
    'substitution',
    'substitutionChannel',
  ],
  '/api/do-not-disturb': ['accountEmail', 'companyId', 'key', 'dnd'],
};
const ALL_PARAMETERS = [...new Set(Object.values(PARAMETERS).flat())];
const WRITES = new Set<Endpoint>(['/api/out-of-office', '/api/do-not-disturb']);

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const;
type Method = (typeof METHODS)[number];
const ALLOWED_METHODS = new Set<Method>(['GET', 'HEAD', 'POST']);

const JSON_UTF8 = 'application/json; charset=utf-8';
const SAVED = { success: true, error: false, message: 'The changes have been saved' };
const PERSON_FIELDS = ['success', 'error', ...PERSON_INFO_FIELDS];

/** The errors the public API may answer (the operator's tools have their own), by status. */
const PUBLIC_ERRORS: ErrorCode[] = [
  'PARAMETER_MISSING',
  'PARAMETER_REPEATED',
  'PARAMETER_NOT_STRING',
  'PARAMETER_NOT_EMAIL',
  'PARAMETER_NOT_DATE',
  'PARAMETER_NOT_FLAG',
  'ABSENCE_REVERSED',
  'SUBSTITUTE_UNKNOWN',
  'SUBSTITUTE_IS_SELF',
  'SUBSTITUTE_LOCKED',
  'CHANNEL_UNKNOWN',
  'BODY_NOT_OBJECT',
  'BODY_NOT_JSON',
  'MALFORMED_REQUEST',
  'AUTHENTICATION_REQUIRED',
  'AUTHENTICATION_INVALID',
  'ACCOUNT_OF_OTHER_COMPANY',
  'ACCOUNT_LOCKED',
  'ACCOUNT_NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'REQUEST_TOO_LARGE',
  'UNSUPPORTED_CONTENT_TYPE',
];

/** Every message the public API may give with each status, for the parameters of `endpoint`. */
function knownMessages(endpoint: Endpoint, overloadProtected: boolean): Map<number, Set<string>> {
  const byStatus = new Map<number, Set<string>>();
  for (const code of overloadProtected ? [...PUBLIC_ERRORS, 'OVERLOADED' as const] : PUBLIC_ERRORS) {
    const { status, message } = ERRORS[code];
    const messages = byStatus.get(status) ?? new Set<string>();
    for (const name of ['', ...PARAMETERS[endpoint]]) messages.add(message(name));
    byStatus.set(status, messages);
  }
  return byStatus;
}

// ---------------------------------------------------------------------------------------------
// The world: two companies, accounts of every kind, channels; one app on it for the whole file

const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ0';

/** A company that calls the API with valid credentials, and what it may act on. */
interface Actor {
  companyId: string;
  /** Its valid tokens: today, yesterday, tomorrow, upper-case hex. */
  tokens: string[];
  /** Emails of its accounts that it may change. */
  emails: string[];
  /** Talk-to-me ids of those accounts. */
  talkToMeIds: string[];
  channelIds: string[];
}

interface World {
  app: FastifyInstance;
  store: Store;
  a: TestCompany;
  b: TestCompany;
  actors: Actor[];
  companyIds: string[];
  emails: string[];
  talkToMeIds: string[];
  channelIds: string[];
  tokens: string[];
  /** Must never appear in an answer. */
  secrets: string[];
  /** Whether optional protections answer with their own statuses (429, 503, a 204 CORS preflight). */
  rateLimited: boolean;
  overloadProtected: boolean;
  corsPreflight: boolean;
}

/**
 * Every case comes from one client address and the clock stands still, so the rate limits (failed
 * authentications per address, requests per company, public lookups per address) would soon answer
 * every case 429, and their windows would never end. Load shedding measures the event loop's lag,
 * which this file's own loop of in-process requests (on synchronous SQLite, one long chain of
 * microtasks that starves the timers) makes look huge: it would answer nearly every case 503. Both
 * are off here, so that the cases reach the contract's behaviour (they have tests of their own);
 * a 429 or a 503 is then a failure.
 */
const CONFIG: Partial<AppConfig> = {
  logLevel: false,
  authFailureLimit: { max: 0, windowMs: 60_000 },
  companyRequestLimit: { max: 0, windowMs: 60_000 },
  publicLookupLimit: { max: 0, windowMs: 60_000 },
  overloadDelayMs: 0,
};

let world: World;

beforeAll(async () => {
  const store = await openTestStore();
  const app = await buildApp({ store, config: CONFIG, clock: () => NOON });
  const a = await makeCompany(store, { name: 'Alpha Ltd.', timezone: 'Europe/Berlin' });
  const b = await makeCompany(store, { name: 'Beta GmbH', hash: 'md5' });
  const of = (companyId: string | undefined, email: string, extra: { verified?: boolean; locked?: boolean } = {}) =>
    makeAccount(store, { companyId, email, name: email.split('@')[0], ...extra });
  const anna = await of(a.companyId, 'anna@alpha.example', { verified: true });
  const ben = await of(a.companyId, 'Ben.Mixed@Alpha.example');
  const lars = await of(a.companyId, 'lars.locked@alpha.example', { locked: true });
  const dora = await of(a.companyId, 'dora.away@alpha.example', { verified: true });
  const bob = await of(b.companyId, 'bob@beta.example', { verified: true });
  const betty = await of(b.companyId, 'betty.locked@beta.example', { locked: true });
  const nina = await of(undefined, 'nina@nowhere.example');
  const channelA = await makeChannel(store, a.companyId, 'Alpha Support', [anna.email]);
  const channelB = await makeChannel(store, b.companyId, 'Beta Sales', [bob.email]);
  await setAbsence(
    store.db,
    a.companyId,
    { accountEmail: dora.email, awayFrom: '2023-08-01', awayUntil: '2023-08-20', substitution: anna.email },
    TEST_CHANGE,
  );
  await setDoNotDisturb(store.db, a.companyId, { accountEmail: ben.email, dnd: true }, TEST_CHANGE);
  const accounts = [anna, ben, lars, dora, bob, betty, nina];
  const valid = (company: TestCompany) => [
    company.token(),
    company.token(NOON, -1),
    company.token(NOON, 1),
    company.token().toUpperCase(),
  ];
  world = {
    app,
    store,
    a,
    b,
    actors: [
      {
        companyId: a.companyId,
        tokens: valid(a),
        emails: [anna.email, ben.email, dora.email],
        talkToMeIds: [anna.talkToMeId, ben.talkToMeId, dora.talkToMeId],
        channelIds: [channelA.channelId],
      },
      {
        companyId: b.companyId,
        tokens: valid(b),
        emails: [bob.email],
        talkToMeIds: [bob.talkToMeId],
        channelIds: [channelB.channelId],
      },
    ],
    companyIds: [a.companyId, a.companyId.toLowerCase(), b.companyId, UNKNOWN_ID],
    emails: [...accounts.map((account) => account.email), 'ANNA@ALPHA.EXAMPLE', 'nobody@alpha.example'],
    talkToMeIds: [...accounts.map((account) => account.talkToMeId), anna.talkToMeId.toLowerCase(), UNKNOWN_ID],
    channelIds: [channelA.channelId, channelA.channelId.toLowerCase(), channelB.channelId, UNKNOWN_ID],
    tokens: [
      a.token(),
      a.token(NOON, -1),
      a.token(NOON, 1),
      a.token().toUpperCase(),
      a.token(NOON, 2),
      a.token(NOON, -2),
      b.token(),
      '0'.repeat(64),
      a.apiKey,
    ],
    secrets: [a.apiKey, b.apiKey],
    rateLimited: [app.config.authFailureLimit, app.config.companyRequestLimit, app.config.publicLookupLimit].some(
      (limit) => limit.max > 0,
    ),
    overloadProtected: app.hasPlugin('switchboard-overload') && app.config.overloadDelayMs > 0,
    corsPreflight: app.hasPlugin('switchboard-browser-rules'),
  };
});

afterAll(async () => {
  await world?.app.close();
  await world?.store.close();
});

// ---------------------------------------------------------------------------------------------
// Values: real ones (so that requests reach authentication, the accounts and the writes) mixed
// with valid-looking ones and garbage

const INJECTIONS = [
  "' OR '1'='1",
  "' OR 1=1 --",
  "'; DROP TABLE accounts; --",
  '"; DROP TABLE companies; --',
  "anna@alpha.example' --",
  "anna@alpha.example' OR '1'='1",
  "x' UNION SELECT api_key, id FROM companies --",
  "%' OR email_key LIKE '%",
  '%',
  '_',
  '*',
  '\\',
  "\\'",
  '$1',
  '?',
  ':email',
  '1; SELECT pg_sleep(5)',
  "'||(SELECT api_key FROM companies LIMIT 1)||'",
  '{"$gt":""}',
  '{"__proto__":{"admin":true}}',
  '{"companyId":"x"}',
  '["a","b"]',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '[object Object]',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell probe, deliberately not a template
  '${jndi:ldap://example.invalid/a}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00',
  '%2500',
  '\u0000',
  '\u0000anna@alpha.example',
  'anna@alpha.example\u0000',
  '\ud800',
  '\udfff',
  'a\ud800b',
  '\ufeff',
  '\u200b',
  '\u202eelpmaxe.ahpla@anna',
  '\u00a0anna@alpha.example\u3000',
  '\r\nSet-Cookie: a=b',
  'ß'.repeat(13),
  'ſ'.repeat(26),
  'ı'.repeat(26),
  '\u212a'.repeat(26),
  '０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰ',
  '２０２３-０８-０１',
  '٢٠٢٣-٠٨-٠١',
  '😀@😀.😀',
  'a@b.c',
  '@alpha.example',
  'anna@',
  'anna@@alpha.example',
  'anna@alpha',
  'anna @alpha.example',
  'anna@.example',
  'anna@alpha.',
];

const WHITESPACE = ['', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\ufeff', '\u2028'];
const CONTROL = [...Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)), '\u007f', '\u0085'];

function long(): fc.Arbitrary<string> {
  return fc
    .oneof(
      {
        weight: 8,
        arbitrary: fc.tuple(fc.constantFrom('a', 'é', '%', '😀', '\u0000', ' '), fc.integer({ min: 200, max: 9_000 })),
      },
      // Over the 64 KiB body limit (and the 8 KiB query limit) when it lands in a body.
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom('x', 'é'), fc.integer({ min: 60_000, max: 70_000 })) },
    )
    .map(([unit, count]) => unit.repeat(count));
}

function garbage(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...INJECTIONS) },
    { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...CONTROL, ...WHITESPACE), maxLength: 8 }) },
    { weight: 1, arbitrary: long() },
  );
}

/** A real value, sometimes in another case, padded with white space, or slightly broken. */
function around(values: readonly string[]): fc.Arbitrary<string> {
  const value = fc.constantFrom(...values);
  return fc.oneof(
    { weight: 10, arbitrary: value },
    { weight: 2, arbitrary: fc.mixedCase(value) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...WHITESPACE), value, fc.constantFrom(...WHITESPACE)).map((p) => p.join('')),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(value, fc.nat(), fc.nat({ max: 2 }), fc.string({ unit: 'binary', maxLength: 2 }))
        .map(([text, at, remove, insert]) => {
          const i = at % (text.length + 1);
          return text.slice(0, i) + insert + text.slice(i + remove);
        }),
    },
    { weight: 1, arbitrary: value.map((text) => text.repeat(2)) },
  );
}

function mixed(real: fc.Arbitrary<string>, lookalike: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: real },
    { weight: 2, arbitrary: lookalike },
    { weight: 3, arbitrary: garbage() },
  );
}

const IDENTIFIER = fc.stringMatching(/^[A-Za-z0-9]{24,28}$/);

function dates(): fc.Arbitrary<string> {
  const valid = fc
    .date({ min: new Date('2023-07-01T00:00:00Z'), max: new Date('2023-09-30T00:00:00Z'), noInvalidDate: true })
    .map((date) => date.toISOString().slice(0, 10));
  const lookalike = fc.oneof(
    fc.constantFrom(
      '2023-02-29',
      '2024-02-29',
      '2023-02-30',
      '2023-13-01',
      '2023-00-10',
      '2023-08-00',
      '2023-08-32',
      '0000-01-01',
      '9999-12-31',
      '2023-8-1',
      '20230801',
      '2023/08/01',
      '08/01/2023',
      '2023-08-01T00:00:00Z',
      '2023-08-01 ',
      '+02023-08-01',
      '-2023-08-01',
      '2023-08-01\u0000',
    ),
    fc
      .tuple(fc.integer({ min: -1, max: 10_000 }), fc.integer({ min: -1, max: 14 }), fc.integer({ min: -1, max: 33 }))
      .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  );
  return mixed(valid, lookalike);
}

function flags(): fc.Arbitrary<string> {
  const words = fc.mixedCase(fc.constantFrom('true', 'false', '1', '0', 'yes', 'no', 'on', 'off'));
  return mixed(words, fc.constantFrom('truee', 'tru', '2', '-1', '01', 'y', 'n', 'enabled', 'TRUE!', 'ja', '１'));
}

/** Valid-looking values and garbage for each parameter, to replace a real value with. */
function lookalikes(w: World): Record<string, fc.Arbitrary<string>> {
  const email = mixed(around(w.emails), fc.emailAddress());
  const talkToMeId = mixed(around(w.talkToMeIds), IDENTIFIER);
  const token = mixed(around(w.tokens), fc.stringMatching(/^[0-9a-fA-F]{30,70}$/));
  return {
    companyId: mixed(around(w.companyIds), IDENTIFIER),
    key: token,
    email,
    accountEmail: email,
    talkToMeId,
    awayFrom: dates(),
    awayUntil: dates(),
    substitution: fc.oneof(email, talkToMeId),
    substitutionChannel: mixed(around(w.channelIds), IDENTIFIER),
    dnd: flags(),
  };
}

// ---------------------------------------------------------------------------------------------
// Requests

type Place = 'query' | 'body';
/** A parameter as sent: its name, a string (or, in a JSON body, any JSON value), where it goes. */
type Sent = [name: string, value: unknown, place: Place];

interface FuzzRequest {
  method: Method;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

type Placement = 'query' | 'body' | 'mixed';
const BODY_FORMATS = ['form', 'json', 'json-broken', 'multipart', 'text', 'bytes', 'empty'] as const;
type BodyFormat = (typeof BODY_FORMATS)[number];

/** The content type a body of each format would honestly carry. */
const HONEST: Record<BodyFormat, string> = {
  form: 'application/x-www-form-urlencoded',
  json: 'application/json',
  'json-broken': 'application/json',
  multipart: 'multipart/form-data; boundary=fuzzboundary',
  text: 'text/plain',
  bytes: 'application/octet-stream',
  empty: 'application/json',
};

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'application/json ; charset=UTF-8',
  'application/vnd.api+json',
  'application/merge-patch+json',
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=utf-8',
  'Application/X-WWW-Form-Urlencoded',
  'application/x-www-form-urlencoded; x=json',
  'text/plain',
  'text/plain; charset=utf-8',
  'text/html',
  'text/json',
  'multipart/form-data; boundary=fuzzboundary',
  'multipart/form-data',
  'application/octet-stream',
  'application/xml',
  'application/',
  '*/*',
  ';',
  'json',
  'x',
  '',
];

const AUTHORIZATION_CONSTANTS = [
  '',
  ' ',
  '\t',
  'Bearer',
  'Bearer ',
  'bearer',
  'Bearer  ',
  'Basic YWxhZGRpbjpvcGVuc2VzYW1l',
  'Basic',
  'Digest username="anna", realm="x"',
  'Token abc',
  'Bearer a b',
  'Bearer null',
  'null',
  'undefined',
  ',',
  '=',
];

const RAW_QUERY = [
  '%',
  '%zz',
  '%C3%28',
  '%FF',
  '%E2%82',
  '&&',
  '=',
  '==x',
  'email[]=x',
  'email[a]=b',
  ';',
  '+',
  '%00',
  'a=%2B',
];
const LATIN1 = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)),
  maxLength: 80,
});

/** Lone surrogates (which no UTF-8 can carry) as U+FFFD, as a client's encoder would send them. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Percent-encodes the UTF-8 bytes of a text; `+` for spaces when asked. */
function encode(text: string, plus: boolean): string {
  const encoded = encodeURIComponent(text.replace(LONE_SURROGATE, '\ufffd'));
  return plus ? encoded.replaceAll('%20', '+') : encoded;
}

function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function urlEncoded(sent: Sent[], raw: string[], plus: boolean): string {
  return [...sent.map(([name, value]) => `${encode(name, plus)}=${encode(asText(value), plus)}`), ...raw].join('&');
}

/** JSON text written by hand, so that a name may repeat (`{"a":1,"a":2}`). */
function jsonText(sent: Sent[]): string {
  return `{${sent.map(([name, value]) => `${JSON.stringify(name)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`;
}

function multipart(sent: Sent[]): string {
  const parts = sent.map(
    ([name, value]) => `--fuzzboundary\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${asText(value)}\r\n`,
  );
  return `${parts.join('')}--fuzzboundary--\r\n`;
}

const BROKEN_JSON = [
  '',
  ' ',
  '{',
  '}',
  '{"a":}',
  "{'companyId':'x'}",
  '{"companyId":"x",}',
  '{"companyId":"x"}}',
  '{"companyId":"x"} {"email":"y"}',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '[]',
  '[{"companyId":"x"}]',
  '"companyId"',
  '42',
  'null',
  'true',
  'NaN',
  'undefined',
  '\u0000',
  '\ufeff{}',
  '{"a":"\\ud800"}',
  '{"a":"\\u00"}',
  '{"a":1e999999}',
  '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
  `${'['.repeat(20_000)}${']'.repeat(20_000)}`,
  `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
];

/** Valid JSON text broken: a classic mistake, or cut short, or with junk inserted. */
function brokenJson(text: string, [choice, at, junk]: [number, number, string]): string {
  const i = at % (text.length + 1);
  switch (choice % 3) {
    case 0:
      return BROKEN_JSON[at % BROKEN_JSON.length] ?? '';
    case 1:
      return text.slice(0, i);
    default:
      return text.slice(0, i) + junk + text.slice(i);
  }
}

/** A JSON value for a body parameter: mostly the string, sometimes another type. */
function jsonValue(text: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 20, arbitrary: text },
    { weight: 2, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constant(0)) },
    { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...ALL_PARAMETERS, '__proto__', 'x'), text, { maxKeys: 2 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  );
}

type Credentials = 'none' | 'key' | 'bearer' | 'bare';

/** What an honest client sends: the endpoint's parameters with real values, and its credentials. */
interface Honest {
  params: [string, unknown][];
  token: string;
  credentials: Credentials;
}

function optional<T>(arbitrary: fc.Arbitrary<T>, weightGiven = 1, weightMissing = 1): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: weightGiven, arbitrary }, { weight: weightMissing, arbitrary: fc.constant(undefined) });
}

function given(entries: [string, unknown][]): [string, unknown][] {
  return entries.filter(([, value]) => value !== undefined);
}

/**
 * Requests as a company's own systems would send them, mostly about its own accounts, so that a
 * good part of the cases reach authentication, the accounts, the substitutes and the writes.
 */
function honest(w: World, endpoint: Endpoint): fc.Arbitrary<Honest> {
  const [first, second] = w.actors as [Actor, Actor];
  const actor = fc.oneof({ weight: 4, arbitrary: fc.constant(first) }, { weight: 1, arbitrary: fc.constant(second) });
  return actor.chain((me): fc.Arbitrary<Honest> => {
    const companyId = fc.oneof(
      { weight: 10, arbitrary: fc.constant(me.companyId) },
      { weight: 1, arbitrary: around([me.companyId]) },
      { weight: 1, arbitrary: fc.constantFrom(...w.companyIds) },
    );
    const token = fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom(...me.tokens) },
      { weight: 1, arbitrary: fc.constantFrom(...w.tokens) },
    );
    const credentials = fc.constantFrom<Credentials>('key', 'key', 'bearer', 'bearer', 'bare');
    const own = fc.oneof(
      { weight: 8, arbitrary: around(me.emails) },
      { weight: 2, arbitrary: fc.constantFrom(...w.emails) },
    );
    const day = fc
      .date({ min: new Date('2023-07-01T00:00:00Z'), max: new Date('2023-09-30T00:00:00Z'), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
    const absence = fc
      .tuple(optional(day, 3, 1), optional(day, 3, 1), fc.nat(9))
      .map(([from, until, n]) => (from && until && n < 8 && from > until ? [until, from] : [from, until]));
    const auth = { token, credentials };
    switch (endpoint) {
      case '/api/is-account':
        return fc.record({ companyId, email: fc.oneof(own, around(w.emails)), ...auth }).map((r) => ({
          ...r,
          params: given([
            ['companyId', r.companyId],
            ['email', r.email],
          ]),
        }));
      case '/api/person-info':
        return fc.oneof(
          fc
            .record({ talkToMeId: around(w.talkToMeIds) })
            .map((r): Honest => ({ params: given([['talkToMeId', r.talkToMeId]]), token: '', credentials: 'none' })),
          fc.record({ talkToMeId: around(w.talkToMeIds), companyId, ...auth }).map((r) => ({
            ...r,
            params: given([
              ['companyId', r.companyId],
              ['talkToMeId', r.talkToMeId],
            ]),
          })),
          fc.record({ email: own, companyId, ...auth }).map((r) => ({
            ...r,
            params: given([
              ['companyId', r.companyId],
              ['email', r.email],
            ]),
          })),
        );
      case '/api/out-of-office':
        return fc
          .record({
            accountEmail: own,
            companyId,
            absence,
            substitution: optional(
              fc.oneof(
                { weight: 4, arbitrary: around(me.emails) },
                { weight: 2, arbitrary: fc.constantFrom(...me.talkToMeIds) },
                { weight: 2, arbitrary: fc.constantFrom(...w.emails, ...w.talkToMeIds) },
              ),
            ),
            substitutionChannel: optional(
              fc.oneof(fc.constantFrom(...me.channelIds), fc.constantFrom(...w.channelIds)),
              1,
              3,
            ),
            ...auth,
          })
          .map((r) => ({
            ...r,
            params: given([
              ['accountEmail', r.accountEmail],
              ['companyId', r.companyId],
              ['awayFrom', r.absence[0]],
              ['awayUntil', r.absence[1]],
              ['substitution', r.substitution],
              ['substitutionChannel', r.substitutionChannel],
            ]),
          }));
      case '/api/do-not-disturb':
        return fc
          .record({
            accountEmail: own,
            companyId,
            dnd: optional(
              fc.oneof(
                fc.mixedCase(fc.constantFrom('true', 'false', '1', '0', 'yes', 'no', 'on', 'off')),
                fc.boolean(),
              ),
              3,
              1,
            ),
            ...auth,
          })
          .map((r) => ({
            ...r,
            params: given([
              ['accountEmail', r.accountEmail],
              ['companyId', r.companyId],
              ['dnd', r.dnd],
            ]),
          }));
    }
  });
}

/** A change that turns an honest request into a faulty one. */
type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'drop'; at: number }
  | { kind: 'repeat'; at: number; value: unknown }
  | { kind: 'add'; name: string; value: unknown }
  | { kind: 'authorization'; header: string };

function mutations(w: World): fc.Arbitrary<Mutation[]> {
  const text = fc.oneof(...Object.values(lookalikes(w)), garbage());
  const extraName = fc.oneof(
    fc.constantFrom(...ALL_PARAMETERS),
    fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'Email',
      'COMPANYID',
      'key ',
      ' key',
      'email[]',
      'toString',
    ),
    fc.string({ maxLength: 12 }),
  );
  const token = mixed(around(w.tokens), fc.stringMatching(/^[0-9a-fA-F]{30,70}$/));
  const authorization = fc.oneof(
    { weight: 3, arbitrary: token.map((t) => `Bearer ${t}`) },
    { weight: 2, arbitrary: token },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.mixedCase(fc.constant('bearer')),
          fc.constantFrom(' ', '  ', '\t', ' \t ', ''),
          token,
          fc.constantFrom('', ' ', ' x', '\t', ','),
        )
        .map((parts) => parts.join('')),
    },
    { weight: 3, arbitrary: fc.constantFrom(...AUTHORIZATION_CONSTANTS) },
    { weight: 2, arbitrary: LATIN1 },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => `Bearer ${'a'.repeat(n)}`) },
  );
  const mutation = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: jsonValue(text) }),
    },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), value: jsonValue(text) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('add' as const), name: extraName, value: jsonValue(text) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('authorization' as const), header: authorization }) },
  );
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant<Mutation[]>([]) },
    { weight: 4, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
  );
}

/** The parameters and Authorization header of an honest request after the mutations. */
function mutated(request: Honest, changes: Mutation[]): { params: [string, unknown][]; authorization?: string } {
  const params = [...request.params];
  let authorization: string | undefined;
  if (request.credentials === 'key') params.push(['key', request.token]);
  if (request.credentials === 'bearer') authorization = `Bearer ${request.token}`;
  if (request.credentials === 'bare') authorization = request.token;
  for (const change of changes) {
    const at = 'at' in change && params.length > 0 ? change.at % params.length : -1;
    const target = params[at];
    if (change.kind === 'replace' && target) params[at] = [target[0], change.value];
    if (change.kind === 'drop' && target) params.splice(at, 1);
    if (change.kind === 'repeat' && target) params.splice(at + 1, 0, [target[0], change.value]);
    if (change.kind === 'add') params.push([change.name, change.value]);
    if (change.kind === 'authorization') authorization = change.header;
  }
  return { params, authorization };
}

function requests(w: World, endpoint: Endpoint): fc.Arbitrary<FuzzRequest> {
  return fc
    .record({
      honest: honest(w, endpoint),
      mutations: mutations(w),
      method: fc.oneof(
        { weight: 10, arbitrary: fc.constant<Method>('GET') },
        { weight: 10, arbitrary: fc.constant<Method>('POST') },
        { weight: 3, arbitrary: fc.constant<Method>('HEAD') },
        { weight: 4, arbitrary: fc.constantFrom<Method>('PUT', 'DELETE', 'PATCH', 'OPTIONS') },
      ),
      placement: fc.oneof(
        { weight: 4, arbitrary: fc.constant<Placement>('query') },
        { weight: 4, arbitrary: fc.constant<Placement>('body') },
        { weight: 2, arbitrary: fc.constant<Placement>('mixed') },
      ),
      bodyWithGet: fc.nat(4).map((n) => n === 0),
      places: fc.array(fc.constantFrom<Place>('query', 'body'), { minLength: 12, maxLength: 12 }),
      bodyFormat: fc.oneof(
        { weight: 20, arbitrary: fc.constantFrom<BodyFormat>('form', 'json') },
        { weight: 5, arbitrary: fc.constantFrom<BodyFormat>(...BODY_FORMATS) },
      ),
      contentType: fc.oneof(
        { weight: 14, arbitrary: fc.constant<'honest'>('honest') },
        { weight: 1, arbitrary: fc.constant<'none'>('none') },
        { weight: 2, arbitrary: fc.constantFrom(...CONTENT_TYPES) },
      ),
      rawQuery: fc.oneof(
        { weight: 15, arbitrary: fc.constant<string[]>([]) },
        { weight: 1, arbitrary: fc.array(fc.constantFrom(...RAW_QUERY), { minLength: 1, maxLength: 2 }) },
      ),
      plus: fc.boolean(),
      accept: optional(fc.constantFrom('text/html', 'application/xml', '*/*', 'application/json', ''), 1, 3),
      contentLength: optional(fc.constantFrom('0', '1', '5', '-1', 'abc', '99999999'), 1, 30),
      cors: optional(
        fc.record({
          origin: fc.constantFrom('https://evil.example', 'http://localhost:3000', 'null', ''),
          method: optional(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'get', '')),
        }),
        1,
        8,
      ),
      broken: fc.tuple(fc.nat(), fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })),
      bytes: fc.uint8Array({ maxLength: 64 }),
    })
    .map((r): FuzzRequest => {
      const { params, authorization } = mutated(r.honest, r.mutations);
      // GET and HEAD take the query string; a body with them is a rarer mistake.
      const placement =
        r.placement === 'body' && !r.bodyWithGet && ['GET', 'HEAD'].includes(r.method) ? 'query' : r.placement;
      const sent = params.map(
        ([name, value], i): Sent => [
          name,
          value,
          placement === 'mixed' ? (r.places[i % r.places.length] ?? 'query') : placement,
        ],
      );
      const inQuery = sent.filter(([, , place]) => place === 'query');
      const inBody = sent.filter(([, , place]) => place === 'body');
      const query = urlEncoded(inQuery, r.rawQuery, r.plus);
      const url = query ? `${endpoint}?${query}` : endpoint;
      const hasBody = inBody.length > 0 || r.bodyFormat === 'empty' || r.bodyFormat === 'json-broken';
      const payload = hasBody ? body(r.bodyFormat, inBody, r) : undefined;
      const headers: Record<string, string> = {};
      if (payload !== undefined && r.contentType !== 'none') {
        headers['content-type'] = r.contentType === 'honest' ? HONEST[r.bodyFormat] : r.contentType;
      }
      if (authorization !== undefined) headers.authorization = authorization;
      if (r.accept !== undefined) headers.accept = r.accept;
      if (r.cors !== undefined) headers.origin = r.cors.origin;
      if (r.cors?.method !== undefined) headers['access-control-request-method'] = r.cors.method;
      if (payload !== undefined && r.contentLength !== undefined) headers['content-length'] = r.contentLength;
      return { method: r.method, url, headers, ...(payload === undefined ? {} : { payload }) };
    });
}

function body(
  format: BodyFormat,
  sent: Sent[],
  r: { rawQuery: string[]; plus: boolean; broken: [number, number, string]; bytes: Uint8Array },
): string | Buffer {
  switch (format) {
    case 'form':
      return urlEncoded(sent, r.rawQuery, r.plus);
    case 'json':
      return jsonText(sent);
    case 'json-broken':
      return brokenJson(jsonText(sent), r.broken);
    case 'multipart':
      return multipart(sent);
    case 'text':
      return sent.map(([name, value]) => `${name}=${asText(value)}`).join('\n');
    case 'bytes':
      return Buffer.from(r.bytes);
    case 'empty':
      return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Invariants

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkSuccess(endpoint: Endpoint, body: unknown): void {
  expect(isPlainRecord(body), 'a success body is an object').toBe(true);
  const record = body as Record<string, unknown>;
  if (endpoint === '/api/is-account') {
    const keys = Object.keys(record);
    expect(keys.slice(0, 3)).toEqual(['success', 'error', 'exists']);
    expect(keys.length === 3 || (keys.length === 4 && keys[3] === 'verified')).toBe(true);
    expect([record.success, record.error]).toEqual([true, false]);
    expect(typeof record.exists).toBe('boolean');
    if ('verified' in record) {
      expect(typeof record.verified).toBe('boolean');
      expect(record.exists).toBe(true);
    }
  } else if (endpoint === '/api/person-info') {
    expect(Object.keys(record)).toEqual(PERSON_FIELDS);
    expect([record.success, record.error]).toEqual([true, false]);
    for (const field of ['name', 'talkToMe', 'email', 'substitution']) expect(typeof record[field]).toBe('string');
    for (const field of ['avatar', 'phone', 'mobile', 'companyName', 'position', 'awayInfo', 'awayFrom', 'awayUntil']) {
      expect(record[field] === null || typeof record[field] === 'string').toBe(true);
    }
    expect(typeof record.available).toBe('boolean');
    expect(['ONLINE', 'AWAY', 'OFFLINE']).toContain(record.onlineState);
    expect(record.talkToMe).toMatch(/^[A-Z0-9]{26}$/);
  } else {
    expect(record).toStrictEqual(SAVED);
    expect(Object.keys(record)).toEqual(['success', 'error', 'message']);
  }
}

interface Check {
  endpoint: Endpoint;
  messages: Map<number, Set<string>>;
  previous: Fingerprint;
}

async function checkAnswer(w: World, check: Check, request: FuzzRequest): Promise<void> {
  const { endpoint, messages } = check;
  // Never throws: light-my-request rejects only if the server failed to answer at all.
  const response = await w.app.inject(request);
  // Taken before any assertion, so that the next case (and the shrinking) compares with the real state.
  const before = check.previous;
  const now = await fingerprint(w.store);
  check.previous = now;
  const status = response.statusCode;
  const allowed = new Set([200, 400, 401, 403, 404, 405, 413, 415]);
  if (w.rateLimited) allowed.add(429);
  if (w.overloadProtected) allowed.add(503);
  // The one 204: a CORS preflight for the public lookup (OPTIONS with Origin and Access-Control-Request-Method GET or HEAD).
  const preflight = w.corsPreflight && status === 204 && isPublicPreflight(endpoint, request);

  if (!preflight) {
    expect(allowed, `status ${status} is not one of the contract's`).toContain(status);
    expect(response.headers['content-type']).toBe(JSON_UTF8);
  }
  for (const secret of w.secrets) expect(response.body.includes(secret), 'an API key leaked').toBe(false);
  if (response.headers['access-control-allow-origin'] !== undefined && !preflight) {
    // A web page may read public answers only, never one to a request with credentials. (A
    // preflight carries no data, and allows no header: the Authorization header cannot follow it.)
    expect(sendsCredentials(request), 'CORS allowed on an answer to a request with credentials').toBe(false);
  }
  if (status === 503) expect(response.headers['retry-after']).toBeDefined();

  if (ALLOWED_METHODS.has(request.method)) {
    expect(status, 'GET, HEAD and POST are never 405').not.toBe(405);
  } else if (!preflight) {
    // Another method is 405, whatever body it carries (CONTRACT.md 1: "Any other method on an
    // existing endpoint: 405"). Only a request that cannot be read at all may be refused first:
    // an oversized one (413), or one whose Content-Length lies about its body (400 malformed).
    const refusedFirst = [413, 429, 503];
    if (lyingLength(request)) refusedFirst.push(400);
    expect(refusedFirst.includes(status) ? 405 : status, `${request.method} must be refused with 405`).toBe(405);
    if (status === 400) expect(JSON.parse(response.body)).toEqual(errorBody('MALFORMED_REQUEST'));
  }
  if (status === 405) expect(response.headers.allow).toBe('GET, HEAD, POST');
  // 401 means that no credentials came at all: never with an Authorization header (CONTRACT.md 6.9).
  if (request.headers.authorization?.trim()) expect(status, 'a 401 despite an Authorization header').not.toBe(401);

  if (request.method === 'HEAD' || preflight) {
    expect(response.body).toBe('');
  } else {
    const body: unknown = JSON.parse(response.body);
    if (status === 200) {
      checkSuccess(endpoint, body);
      // Without any credentials, person-info is the public view: never an email (CONTRACT.md 4).
      if (endpoint === '/api/person-info' && !mentionsCredentials(request)) {
        expect((body as { email: unknown }).email, 'an email in a public answer').toBe('');
      }
    } else {
      expect(isPlainRecord(body)).toBe(true);
      const record = body as Record<string, unknown>;
      expect(Object.keys(record)).toEqual(['success', 'error', 'message']);
      expect([record.success, record.error]).toEqual([false, true]);
      expect(typeof record.message).toBe('string');
      if (status === 429) expect(record.message).toMatch(/^Too many requests: try again in \d+ seconds\.$/);
      else expect(messages.get(status), `unexpected message for ${status}`).toContain(record.message);
    }
  }

  if (status !== 200 || !WRITES.has(endpoint)) {
    expect(now, 'a refused or reading request changed the database').toEqual(before);
  } else {
    // A write changes one account and records exactly one audit entry; it creates or deletes nothing else.
    expect({ ...now, audit: now.audit - 1, maxAuditId: 0, rows: '' }).toEqual({
      ...before,
      maxAuditId: 0,
      rows: '',
    });
    expect(now.maxAuditId).toBeGreaterThan(before.maxAuditId);
  }
}

function isPublicPreflight(endpoint: Endpoint, request: FuzzRequest): boolean {
  const method = request.headers['access-control-request-method'];
  return (
    endpoint === '/api/person-info' &&
    request.method === 'OPTIONS' &&
    Boolean(request.headers.origin) &&
    (method === 'GET' || method === 'HEAD')
  );
}

/** An Authorization header or a `key` in the query string that is not blank (a `key` in a body aside). */
function sendsCredentials(request: FuzzRequest): boolean {
  if (request.headers.authorization?.trim()) return true;
  const query = request.url.split('?')[1] ?? '';
  return new URLSearchParams(query).getAll('key').some((key) => key.trim() !== '');
}

/** Whether a request could carry credentials anywhere (an Authorization header, or `key` in any form). */
function mentionsCredentials(request: FuzzRequest): boolean {
  const payload = request.payload === undefined ? '' : request.payload.toString('latin1');
  return Boolean(request.headers.authorization?.trim()) || /key/i.test(request.url + payload);
}

/** A Content-Length header that does not match the body: the HTTP framing is broken. */
function lyingLength(request: FuzzRequest): boolean {
  const declared = request.headers['content-length'];
  return declared !== undefined && declared !== String(Buffer.byteLength(request.payload ?? ''));
}

function errorBody(code: ErrorCode) {
  return { success: false, error: true, message: ERRORS[code].message('') };
}

function reproduction(endpoint: Endpoint): string {
  return (
    `SWITCHBOARD_FUZZ_SEED=${SEED} SWITCHBOARD_FUZZ_RUNS=${TOTAL_RUNS} ` +
    `npx vitest run --project ${TEST_DIALECT} test/hardening/fuzz.test.ts -t '${endpoint}'`
  );
}

describe(`fuzzing the public API (seed ${SEED}, ${RUNS_PER_ENDPOINT} cases per endpoint on ${TEST_DIALECT})`, () => {
  test.each(ENDPOINTS)(
    '%s: answers every request with the contract and changes nothing when it refuses',
    async (endpoint) => {
      const check: Check = {
        endpoint,
        messages: knownMessages(endpoint, world.overloadProtected),
        previous: await fingerprint(world.store),
      };
      const property = fc.asyncProperty(requests(world, endpoint), (request) => checkAnswer(world, check, request));
      try {
        await fc.assert(property, { seed: SEED, numRuns: RUNS_PER_ENDPOINT, includeErrorInReport: true });
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new Error(
          `Fuzzing ${endpoint} failed with SWITCHBOARD_FUZZ_SEED=${SEED} (${RUNS_PER_ENDPOINT} cases per endpoint).\n` +
            `Reproduce: ${reproduction(endpoint)}\n\n${detail}`,
        );
      }
    },
    TIMEOUT_MS,
  );
});
