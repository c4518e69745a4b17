/**
 * Tenant isolation (issue 5, "Hardening"): company A, with valid credentials, tries every way to
 * reach company B's accounts through every endpoint: B's account by email and by talk-to-me id, as
 * substitute (by email and by talk-to-me id), B's channel, B's locked account, an account without
 * company, and B's company id with A's token.
 *
 * Each attempt is refused, or (where the contract makes the data public: is-account's `exists`,
 * person-info by talk-to-me id) answers exactly the public answer, and tells nothing more than the
 * contract allows: a refusal is byte for byte the refusal of an unknown value of the same kind
 * (an unknown email, identifier, substitute, channel or company), unless the contract prescribes
 * its own answer (out-of-office and do-not-disturb on another company's account: 403 "does not
 * belong to your company", the same for a locked and a company-less account). A refused attempt
 * changes nothing in the database; no attempt changes anything of B's.
 *
 * The matrix (endpoint x vector) is generated below from the endpoints' parameter slots; every
 * cell runs each of B's values in several spellings (as stored, other case, padded), over every
 * transport (query, form, JSON) and with the token as `key` and as bearer header.
 */
import { describe, expect, test } from 'vitest';
import { ERRORS } from '../../src/domain/errors.js';
import { setAbsence } from '../../src/service/absence.js';
import { makeAccount, makeChannel, makeCompany, TEST_CHANGE, type TestCompany } from '../factories.js';
import { buildTestApp, call, snapshot, type TestApp, type Transport } from '../helper.js';

const ENDPOINTS = ['/api/is-account', '/api/person-info', '/api/out-of-office', '/api/do-not-disturb'] as const;
type Endpoint = (typeof ENDPOINTS)[number];
const TRANSPORTS: Transport[] = ['query', 'form', 'json'];
const AUTHS = ['key', 'bearer'] as const;
type Auth = (typeof AUTHS)[number];
const JSON_UTF8 = 'application/json; charset=utf-8';

const UNKNOWN_EMAIL = 'nobody.here@beta.example';
const UNKNOWN_ID = 'QAT88PF4NQUB50SOHFLIPQL9RT';

// ---------------------------------------------------------------------------------------------
// The world

interface Person {
  email: string;
  talkToMeId: string;
}

interface World extends TestApp {
  a: TestCompany;
  b: TestCompany;
  /** A's own accounts. */
  anna: Person;
  ben: Person;
  /** B's accounts: a verified one (away, with a substitute and a channel) and a locked one. */
  bob: Person;
  bea: Person;
  betty: Person;
  /** An account of no company. */
  nina: Person;
  channelA: string;
  channelB: string;
}

/**
 * Every request comes from one client address, and several cells send more than 20 wrong
 * credentials (B's company id with A's token): the per-address limit of failed authentications
 * would answer them 429. Load shedding would answer 503 whenever this file's loop of in-process
 * requests keeps the event loop busy. What is compared here is the answer itself, so both are off
 * (they have tests of their own).
 */
const CONFIG = { authFailureLimit: { max: 0, windowMs: 60_000 }, overloadDelayMs: 0 };

async function world(): Promise<World> {
  const test = await buildTestApp(CONFIG);
  const a = await makeCompany(test.store, { name: 'Alpha Ltd.' });
  const b = await makeCompany(test.store, { name: 'Beta GmbH', timezone: 'Europe/Berlin' });
  const person = async (companyId: string | undefined, email: string, extra: { locked?: boolean } = {}) => {
    const account = await makeAccount(test.store, {
      companyId,
      email,
      name: email.split('@')[0],
      verified: true,
      ...extra,
    });
    return { email: account.email, talkToMeId: account.talkToMeId };
  };
  const anna = await person(a.companyId, 'anna@alpha.example');
  const ben = await person(a.companyId, 'ben@alpha.example');
  const bob = await person(b.companyId, 'bob@beta.example');
  const bea = await person(b.companyId, 'bea@beta.example');
  const betty = await person(b.companyId, 'betty.locked@beta.example', { locked: true });
  const nina = await person(undefined, 'nina@nowhere.example');
  const channelA = (await makeChannel(test.store, a.companyId, 'Alpha Support', [anna.email])).channelId;
  const channelB = (await makeChannel(test.store, b.companyId, 'Beta Sales', [bob.email, bea.email])).channelId;
  await setAbsence(
    test.store.db,
    b.companyId,
    { accountEmail: bob.email, awayFrom: '2023-08-01', awayUntil: '2023-08-20', substitution: bea.email },
    TEST_CHANGE,
  );
  return { ...test, a, b, anna, ben, bob, bea, betty, nina, channelA, channelB };
}

// ---------------------------------------------------------------------------------------------
// The vectors: what of B's (or of no company) A puts where

type Via = 'email' | 'talkToMeId' | 'substitute' | 'channel' | 'companyId';
type Kind = 'email' | 'id';

interface Vector {
  name: string;
  via: Via;
  /** B's values the vector sends, each of a kind (an unknown value of the same kind is the control). */
  values(w: World): { kind: Kind; value: string }[];
  /** Whether the account it names is locked (person-info hides it even by talk-to-me id). */
  locked?: boolean;
}

const email = (value: string) => ({ kind: 'email' as const, value });
const id = (value: string) => ({ kind: 'id' as const, value });

const VECTORS: Vector[] = [
  { name: "B's account by email", via: 'email', values: (w) => [email(w.bob.email)] },
  { name: "B's account by talk-to-me id", via: 'talkToMeId', values: (w) => [id(w.bob.talkToMeId)] },
  { name: "B's account as substitute, by email", via: 'substitute', values: (w) => [email(w.bob.email)] },
  { name: "B's account as substitute, by talk-to-me id", via: 'substitute', values: (w) => [id(w.bob.talkToMeId)] },
  { name: "B's channel id", via: 'channel', values: (w) => [id(w.channelB)] },
  { name: "B's locked account by email", via: 'email', values: (w) => [email(w.betty.email)], locked: true },
  {
    name: "B's locked account by talk-to-me id",
    via: 'talkToMeId',
    values: (w) => [id(w.betty.talkToMeId)],
    locked: true,
  },
  {
    name: "B's locked account as substitute",
    via: 'substitute',
    values: (w) => [email(w.betty.email), id(w.betty.talkToMeId)],
    locked: true,
  },
  { name: 'an account without company by email', via: 'email', values: (w) => [email(w.nina.email)] },
  { name: 'an account without company by talk-to-me id', via: 'talkToMeId', values: (w) => [id(w.nina.talkToMeId)] },
  {
    name: 'an account without company as substitute',
    via: 'substitute',
    values: (w) => [email(w.nina.email), id(w.nina.talkToMeId)],
  },
  { name: "B's company id with A's token", via: 'companyId', values: (w) => [id(w.b.companyId)] },
];

/** How a value may be spelled: the contract matches emails and identifiers case-insensitively, after trimming. */
function spellings(value: string, kind: Kind): string[] {
  return [value, kind === 'email' ? value.toUpperCase() : value.toLowerCase(), ` \t${value} `];
}

// ---------------------------------------------------------------------------------------------
// The matrix: what each endpoint must answer to each vector

type Params = Record<string, string>;

type Expectation =
  /** Refused exactly like an unknown value of the same kind (which gets `status`). */
  | { kind: 'like-unknown'; status: number }
  /** A fixed answer that the contract prescribes whatever B's account is (locked, company-less...). */
  | { kind: 'exactly'; status: number; body: Record<string, unknown> }
  /** person-info by talk-to-me id: exactly what anyone gets without credentials, with email "". */
  | { kind: 'public-view' }
  /** The endpoint does not read the parameter: the answer is that of an unknown value (a success). */
  | { kind: 'ignored' };

interface Cell {
  /** Requests with the value in the probed slot; credentials (A's token) are added. */
  shapes: ((value: string) => Params)[];
  expect: Expectation;
}

const errorBody = (message: string) => ({ success: false, error: true, message });
const OTHER_COMPANY = errorBody(ERRORS.ACCOUNT_OF_OTHER_COMPANY.message('accountEmail'));
const EXISTS_NOT_OURS = { success: true, error: false, exists: true };

/** A's own request that each endpoint accepts; the vectors put B's values into it. */
function base(w: World, endpoint: Endpoint): Params {
  const companyId = w.a.companyId;
  switch (endpoint) {
    case '/api/is-account':
    case '/api/person-info':
      return { companyId, email: w.anna.email };
    case '/api/out-of-office':
      return { accountEmail: w.anna.email, companyId, awayFrom: '2023-08-14', awayUntil: '2023-08-18' };
    case '/api/do-not-disturb':
      return { accountEmail: w.anna.email, companyId, dnd: 'true' };
  }
}

function cell(w: World, endpoint: Endpoint, vector: Vector): Cell {
  const own = base(w, endpoint);
  const writes = endpoint === '/api/out-of-office' || endpoint === '/api/do-not-disturb';
  const accountSlot = writes ? 'accountEmail' : 'email';
  switch (vector.via) {
    case 'email':
      // is-account tells anyone that an account exists (never whether it is verified); the writes
      // say "not yours" for any account of another company or of none, locked or not.
      if (endpoint === '/api/is-account') {
        return {
          shapes: [(v) => ({ ...own, email: v })],
          expect: { kind: 'exactly', status: 200, body: EXISTS_NOT_OURS },
        };
      }
      if (writes) {
        return {
          shapes: [(v) => ({ ...own, accountEmail: v })],
          expect: { kind: 'exactly', status: 403, body: OTHER_COMPANY },
        };
      }
      return { shapes: [(v) => ({ ...own, email: v })], expect: { kind: 'like-unknown', status: 404 } };
    case 'talkToMeId':
      if (endpoint === '/api/person-info') {
        return {
          shapes: [(v) => ({ companyId: w.a.companyId, talkToMeId: v })],
          expect: vector.locked ? { kind: 'like-unknown', status: 404 } : { kind: 'public-view' },
        };
      }
      // Elsewhere an identifier can only go where an email is expected: malformed, like any identifier.
      return { shapes: [(v) => ({ ...own, [accountSlot]: v })], expect: { kind: 'like-unknown', status: 400 } };
    case 'substitute':
      if (endpoint === '/api/out-of-office') {
        return { shapes: [(v) => ({ ...own, substitution: v })], expect: { kind: 'like-unknown', status: 400 } };
      }
      return { shapes: [(v) => ({ ...own, substitution: v })], expect: { kind: 'ignored' } };
    case 'channel':
      if (endpoint === '/api/out-of-office') {
        return {
          shapes: [
            (v) => ({ ...own, substitutionChannel: v }),
            // The channel overrides a valid substitute: still refused.
            (v) => ({ ...own, substitution: w.ben.email, substitutionChannel: v }),
          ],
          expect: { kind: 'like-unknown', status: 400 },
        };
      }
      if (endpoint === '/api/person-info') {
        // A channel id in the place of a talk-to-me id finds nothing.
        return {
          shapes: [(v) => ({ companyId: w.a.companyId, talkToMeId: v })],
          expect: { kind: 'like-unknown', status: 404 },
        };
      }
      return { shapes: [(v) => ({ ...own, substitutionChannel: v })], expect: { kind: 'ignored' } };
    case 'companyId': {
      const shapes = [(v: string) => ({ ...own, companyId: v })];
      if (endpoint === '/api/person-info') shapes.push((v) => ({ companyId: v, talkToMeId: w.anna.talkToMeId }));
      return { shapes, expect: { kind: 'like-unknown', status: 403 } };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Running a cell

interface Answer {
  status: number;
  contentType: string | undefined;
  body: unknown;
}

async function send(
  w: World,
  path: Endpoint,
  params: Params,
  transport: Transport,
  auth: Auth | 'none',
): Promise<Answer> {
  const token = w.a.token();
  const response = await call(w.app, path, auth === 'key' ? { ...params, key: token } : params, {
    transport,
    headers: auth === 'bearer' ? { authorization: `Bearer ${token}` } : {},
  });
  return {
    status: response.status,
    contentType: response.headers['content-type'] as string | undefined,
    body: response.body,
  };
}

type Snapshot = Awaited<ReturnType<typeof snapshot>>;

/** Everything of B's and of company-less accounts: no attempt of A may change any of it. */
function notA(w: World, state: Snapshot) {
  const channelsOfB = new Set(state.channels.filter((c) => c.company_id === w.b.companyId).map((c) => c.id));
  return {
    companies: state.companies.filter((c) => c.id !== w.a.companyId),
    accounts: state.accounts.filter((account) => account.company_id !== w.a.companyId),
    channels: state.channels.filter((c) => channelsOfB.has(c.id)),
    members: state.members.filter((m) => channelsOfB.has(m.channel_id)),
    audit: state.audit.filter((entry) => entry.company_id !== w.a.companyId),
  };
}

describe.each(ENDPOINTS)('tenant isolation: %s', (endpoint) => {
  test.each(VECTORS.map((vector) => [vector.name, vector] as const))('%s', async (_name, vector) => {
    const w = await world();
    const { shapes, expect: expectation } = cell(w, endpoint, vector);
    const refused =
      expectation.kind === 'like-unknown' || (expectation.kind === 'exactly' && expectation.status >= 400);
    const reads = endpoint === '/api/is-account' || endpoint === '/api/person-info';
    const initial = await snapshot(w.store);
    let probes = 0;

    for (const shape of shapes) {
      for (const { kind, value } of vector.values(w)) {
        const unknown = kind === 'email' ? UNKNOWN_EMAIL : UNKNOWN_ID;
        for (const transport of TRANSPORTS) {
          for (const auth of AUTHS) {
            const control = await send(w, endpoint, shape(unknown), transport, auth);
            for (const spelled of spellings(value, kind)) {
              const where = `${transport}, ${auth}, ${JSON.stringify(spelled)}`;
              const probe = await send(w, endpoint, shape(spelled), transport, auth);
              probes++;
              expect(probe.contentType, where).toBe(JSON_UTF8);
              switch (expectation.kind) {
                case 'like-unknown':
                  expect(control.status, `${where}: the control`).toBe(expectation.status);
                  expect(probe, where).toEqual(control);
                  break;
                case 'exactly':
                  expect({ status: probe.status, body: probe.body }, where).toStrictEqual({
                    status: expectation.status,
                    body: expectation.body,
                  });
                  break;
                case 'public-view': {
                  const anonymous = await send(w, endpoint, { talkToMeId: spelled }, transport, 'none');
                  expect(anonymous.status, where).toBe(200);
                  expect(probe, where).toEqual(anonymous);
                  expect((probe.body as { email: unknown }).email, where).toBe('');
                  break;
                }
                case 'ignored':
                  expect(control.status, `${where}: the control`).toBe(200);
                  expect(probe, where).toEqual(control);
                  break;
              }
            }
          }
        }
      }
    }

    // The audit trail only grows and every write adds to it: a cell of refusals (or of reads) that
    // leaves the database exactly as it found it changed nothing with any of its requests.
    const final = await snapshot(w.store);
    if (refused || reads) expect(final, 'a refused or reading request changed the database').toEqual(initial);
    expect(notA(w, final)).toEqual(notA(w, initial));
    expect(probes).toBeGreaterThanOrEqual(18);
  });
});
