import { describe, expect, test } from 'vitest';
import { type AbsenceRequest, setAbsence } from '../../src/service/absence.js';
import { updateAccount } from '../../src/service/accounts.js';
import type { Change } from '../../src/service/change.js';
import { setDoNotDisturb } from '../../src/service/do-not-disturb.js';
import { updateAccount as updateAccountRow } from '../../src/store/repositories/accounts.js';
import { PERSON_INFO_FIELDS } from '../contract.js';
import { makeAccount, makeChannel, makeCompany, type TestCompany } from '../factories.js';
import { buildTestApp, call, NOON, snapshot, type TestApp, type Transport } from '../helper.js';

const PATH = '/api/person-info';
const TRANSPORTS: Transport[] = ['query', 'form', 'json'];
const JSON_TYPE = 'application/json; charset=utf-8';
const CHANGE: Change = { actor: 'test', now: NOON };

const FIELDS = ['success', 'error', ...PERSON_INFO_FIELDS];

const MESSAGES = {
  talkToMeIdMissing: 'The parameter talkToMeId must be filled.',
  companyIdMissing: 'The parameter companyId must be filled.',
  emailMalformed: 'The parameter email must be a valid email address.',
  authRequired: 'Authentication required: send the access key as parameter key or in the Authorization header.',
  authInvalid: 'Invalid authentication.',
  talkToMeIdNotFound: 'No account was found for the parameter talkToMeId.',
  emailNotFound: 'No account was found for the parameter email.',
};

const PAUL = 'paul.doe@example.com';
const LOCKED = 'locked.person@example.com';
const FOREIGN = 'foreign.person@example.com';
const BARE = 'bare.person@example.com';

interface Person {
  email: string;
  talkToMeId: string;
}

interface World extends TestApp {
  company: TestCompany;
  other: TestCompany;
  paul: Person;
  locked: Person;
  foreign: Person;
}

/**
 * "Company Ltd." with Paul Doe (every profile field but mobile set) and a locked account; another
 * company with one account.
 */
async function world(timezone?: string): Promise<World> {
  const test = await buildTestApp();
  const company = await makeCompany(test.store, { name: 'Company Ltd.', timezone });
  const other = await makeCompany(test.store, { name: 'Other Inc.' });
  const paul = await makeAccount(test.store, {
    email: PAUL,
    name: 'Paul Doe',
    companyId: company.companyId,
    verified: true,
    avatar: 'https://example.com/paul.png',
    phone: '+1 234 56789',
    position: 'Sales',
  });
  const locked = await makeAccount(test.store, {
    email: LOCKED,
    name: 'Locked Person',
    companyId: company.companyId,
    locked: true,
  });
  const foreign = await makeAccount(test.store, { email: FOREIGN, name: 'Foreign Person', companyId: other.companyId });
  return { ...test, company, other, paul, locked, foreign };
}

type Response = Awaited<ReturnType<typeof call>>;

function expectError(response: Response, status: number, message: string) {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { success: false, error: true, message },
  });
  expect(Object.keys(response.body)).toEqual(['success', 'error', 'message']);
  expect(response.headers['content-type']).toBe(JSON_TYPE);
}

/** A 200 whose body has exactly the contract's keys in order and the given values. */
function expectPerson(response: Response, expected: Record<string, unknown>) {
  expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: expected });
  expect(Object.keys(response.body)).toEqual(FIELDS);
  expect(response.headers['content-type']).toBe(JSON_TYPE);
}

/** A 200 with the contract's keys in order, whose fields include the given ones. */
function expectFields(response: Response, fields: Record<string, unknown>) {
  expect(response.status).toBe(200);
  expect(Object.keys(response.body)).toEqual(FIELDS);
  expect(response.body).toMatchObject(fields);
}

/** Paul Doe as the reference shows him, without an absence. */
function paulBody(w: World, overrides: Record<string, unknown> = {}) {
  return {
    success: true,
    error: false,
    name: 'Paul Doe',
    talkToMe: w.paul.talkToMeId,
    avatar: 'https://example.com/paul.png',
    email: '',
    phone: '+1 234 56789',
    mobile: null,
    companyName: 'Company Ltd.',
    position: 'Sales',
    available: true,
    awayInfo: null,
    awayFrom: null,
    awayUntil: null,
    substitution: '',
    onlineState: 'OFFLINE',
    ...overrides,
  };
}

function publicInfo(w: World, talkToMeId: string) {
  return call(w.app, PATH, { talkToMeId });
}

function ownInfo(w: World, email: string, now: Date = NOON) {
  return call(w.app, PATH, { email, companyId: w.company.companyId, key: w.company.token(now) });
}

function absence(w: World, request: Omit<AbsenceRequest, 'accountEmail'>, email = PAUL) {
  return setAbsence(w.store.db, w.company.companyId, { accountEmail: email, ...request }, CHANGE);
}

const NO_ABSENCE = { available: true, awayInfo: null, awayFrom: null, awayUntil: null, substitution: '' };

describe.each(TRANSPORTS)('person-info full answer (%s)', (transport) => {
  test('public by talkToMeId: all 16 keys in order, email empty', async () => {
    const w = await world();
    const response = await call(w.app, PATH, { talkToMeId: w.paul.talkToMeId }, { transport });
    expectPerson(response, paulBody(w));
  });

  test('by email with own credentials: email shown', async () => {
    const w = await world();
    const response = await call(
      w.app,
      PATH,
      { email: PAUL, companyId: w.company.companyId, key: w.company.token() },
      { transport },
    );
    expectPerson(response, paulBody(w, { email: PAUL }));
  });

  test('reference example: current absence with end', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-20' });
    const response = await call(w.app, PATH, { talkToMeId: w.paul.talkToMeId }, { transport });
    expectPerson(
      response,
      paulBody(w, {
        available: false,
        awayInfo: 'Away until 08/20/2023.',
        awayFrom: '2023-08-01',
        awayUntil: '2023-08-20',
      }),
    );
  });
});

describe('person-info field values', () => {
  test('unset optional text fields are null', async () => {
    const w = await world();
    const bare = await makeAccount(w.store, { email: BARE, name: 'Bare Person', companyId: w.company.companyId });
    expectPerson(await publicInfo(w, bare.talkToMeId), {
      success: true,
      error: false,
      name: 'Bare Person',
      talkToMe: bare.talkToMeId,
      avatar: null,
      email: '',
      phone: null,
      mobile: null,
      companyName: 'Company Ltd.',
      position: null,
      available: true,
      awayInfo: null,
      awayFrom: null,
      awayUntil: null,
      substitution: '',
      onlineState: 'OFFLINE',
    });
  });

  test('mobile is shown when set', async () => {
    const w = await world();
    await updateAccount(w.store.db, PAUL, { mobile: '+1 555 0100' }, CHANGE);
    expectPerson(await publicInfo(w, w.paul.talkToMeId), paulBody(w, { mobile: '+1 555 0100' }));
  });

  test('account without company: companyName null', async () => {
    const w = await world();
    const bare = await makeAccount(w.store, { email: BARE, name: 'Bare Person', position: 'Freelancer' });
    expectFields(await publicInfo(w, bare.talkToMeId), {
      name: 'Bare Person',
      email: '',
      companyName: null,
      position: 'Freelancer',
      available: true,
    });
  });

  test('onlineState reflects updateAccount', async () => {
    const w = await world();
    for (const state of ['AWAY', 'ONLINE', 'OFFLINE']) {
      await updateAccount(w.store.db, PAUL, { onlineState: state }, CHANGE);
      expectPerson(await publicInfo(w, w.paul.talkToMeId), paulBody(w, { onlineState: state }));
    }
  });

  test('do-not-disturb changes neither available nor onlineState', async () => {
    const w = await world();
    await updateAccount(w.store.db, PAUL, { onlineState: 'ONLINE' }, CHANGE);
    await setDoNotDisturb(w.store.db, w.company.companyId, { accountEmail: PAUL, dnd: true }, CHANGE);
    expectPerson(await publicInfo(w, w.paul.talkToMeId), paulBody(w, { onlineState: 'ONLINE' }));
    await setDoNotDisturb(w.store.db, w.company.companyId, { accountEmail: PAUL, dnd: false }, CHANGE);
    expectPerson(await publicInfo(w, w.paul.talkToMeId), paulBody(w, { onlineState: 'ONLINE' }));
  });

  test('do-not-disturb does not make an absent account available', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-20' });
    await setDoNotDisturb(w.store.db, w.company.companyId, { accountEmail: PAUL, dnd: true }, CHANGE);
    expectFields(await publicInfo(w, w.paul.talkToMeId), { available: false, onlineState: 'OFFLINE' });
  });
});

describe.each(TRANSPORTS)('person-info by talkToMeId (%s)', (transport) => {
  function ask(w: World, params: Record<string, string>, headers?: Record<string, string>) {
    return call(w.app, PATH, params, { transport, headers });
  }

  test('lower-case talkToMeId works', async () => {
    const w = await world();
    expectPerson(await ask(w, { talkToMeId: w.paul.talkToMeId.toLowerCase() }), paulBody(w));
  });

  test('talkToMeId is trimmed', async () => {
    const w = await world();
    expectPerson(await ask(w, { talkToMeId: `  ${w.paul.talkToMeId} ` }), paulBody(w));
  });

  test('with valid own company credentials the email is shown', async () => {
    const w = await world();
    const response = await ask(w, {
      talkToMeId: w.paul.talkToMeId,
      companyId: w.company.companyId,
      key: w.company.token(),
    });
    expectPerson(response, paulBody(w, { email: PAUL }));
  });

  test('with own credentials in the Authorization header the email is shown', async () => {
    const w = await world();
    const response = await ask(
      w,
      { talkToMeId: w.paul.talkToMeId, companyId: w.company.companyId },
      { authorization: `Bearer ${w.company.token()}` },
    );
    expectPerson(response, paulBody(w, { email: PAUL }));
  });

  test('with valid credentials of another company the email is empty', async () => {
    const w = await world();
    const response = await ask(w, {
      talkToMeId: w.paul.talkToMeId,
      companyId: w.other.companyId,
      key: w.other.token(),
    });
    expectPerson(response, paulBody(w));
  });

  test('key without companyId: 400 companyId must be filled', async () => {
    const w = await world();
    expectError(
      await ask(w, { talkToMeId: w.paul.talkToMeId, key: w.company.token() }),
      400,
      MESSAGES.companyIdMissing,
    );
  });

  test('Authorization header without companyId: 400 companyId must be filled', async () => {
    const w = await world();
    const response = await ask(w, { talkToMeId: w.paul.talkToMeId }, { authorization: w.company.token() });
    expectError(response, 400, MESSAGES.companyIdMissing);
  });

  test('wrong key with companyId: 403', async () => {
    const w = await world();
    const response = await ask(w, {
      talkToMeId: w.paul.talkToMeId,
      companyId: w.company.companyId,
      key: 'b'.repeat(64),
    });
    expectError(response, 403, MESSAGES.authInvalid);
  });

  test('a token two days old: 403', async () => {
    const w = await world();
    const response = await ask(w, {
      talkToMeId: w.paul.talkToMeId,
      companyId: w.company.companyId,
      key: w.company.token(NOON, -2),
    });
    expectError(response, 403, MESSAGES.authInvalid);
  });

  test('unknown or malformed companyId with a key: 403', async () => {
    const w = await world();
    for (const companyId of ['ZZZZZZZZZZZZZZZZZZZZZZZZZ1', 'nope']) {
      const response = await ask(w, { talkToMeId: w.paul.talkToMeId, companyId, key: w.company.token() });
      expectError(response, 403, MESSAGES.authInvalid);
    }
  });

  test('"Basic" Authorization header with companyId: 403', async () => {
    const w = await world();
    const response = await ask(
      w,
      { talkToMeId: w.paul.talkToMeId, companyId: w.company.companyId },
      { authorization: 'Basic xyz' },
    );
    expectError(response, 403, MESSAGES.authInvalid);
  });

  test('companyId without any key is ignored', async () => {
    const w = await world();
    expectPerson(await ask(w, { talkToMeId: w.paul.talkToMeId, companyId: w.company.companyId }), paulBody(w));
    expectPerson(await ask(w, { talkToMeId: w.paul.talkToMeId, companyId: 'not-a-company' }), paulBody(w));
  });

  test('an empty Authorization header counts as absent', async () => {
    const w = await world();
    const response = await ask(w, { talkToMeId: w.paul.talkToMeId }, { authorization: '' });
    expectPerson(response, paulBody(w));
  });

  test('talkToMeId of the wrong shape: 404', async () => {
    const w = await world();
    for (const talkToMeId of [
      'abc',
      `${w.paul.talkToMeId}A`,
      w.paul.talkToMeId.slice(1),
      `${w.paul.talkToMeId.slice(1)}-`,
    ]) {
      expectError(await ask(w, { talkToMeId }), 404, MESSAGES.talkToMeIdNotFound);
    }
  });

  test('unknown talkToMeId of the right shape: 404', async () => {
    const w = await world();
    expectError(await ask(w, { talkToMeId: 'QAT88PF4NQUB50SOHFLIPQL9RT' }), 404, MESSAGES.talkToMeIdNotFound);
  });

  test('locked account publicly: 404', async () => {
    const w = await world();
    expectError(await ask(w, { talkToMeId: w.locked.talkToMeId }), 404, MESSAGES.talkToMeIdNotFound);
  });

  test('locked account with credentials of another company: 404', async () => {
    const w = await world();
    const response = await ask(w, {
      talkToMeId: w.locked.talkToMeId,
      companyId: w.other.companyId,
      key: w.other.token(),
    });
    expectError(response, 404, MESSAGES.talkToMeIdNotFound);
  });

  test('locked account with own credentials: visible, available false', async () => {
    const w = await world();
    const response = await ask(w, {
      talkToMeId: w.locked.talkToMeId,
      companyId: w.company.companyId,
      key: w.company.token(),
    });
    expectFields(response, {
      name: 'Locked Person',
      talkToMe: w.locked.talkToMeId,
      email: LOCKED,
      companyName: 'Company Ltd.',
      available: false,
      awayInfo: null,
      substitution: '',
    });
  });
});

describe.each(TRANSPORTS)('person-info by email (%s)', (transport) => {
  function ask(w: World, params: Record<string, string>, headers?: Record<string, string>) {
    return call(w.app, PATH, params, { transport, headers });
  }

  test('neither talkToMeId nor email: 400 talkToMeId must be filled', async () => {
    const w = await world();
    expectError(await ask(w, {}), 400, MESSAGES.talkToMeIdMissing);
    expectError(
      await ask(w, { companyId: w.company.companyId, key: w.company.token() }),
      400,
      MESSAGES.talkToMeIdMissing,
    );
    expectError(await ask(w, { talkToMeId: ' ', email: '' }), 400, MESSAGES.talkToMeIdMissing);
  });

  test('email without any key: 401', async () => {
    const w = await world();
    expectError(await ask(w, { email: PAUL, companyId: w.company.companyId }), 401, MESSAGES.authRequired);
  });

  test('email with key but without companyId: 400 companyId', async () => {
    const w = await world();
    expectError(await ask(w, { email: PAUL, key: w.company.token() }), 400, MESSAGES.companyIdMissing);
  });

  test('email alone: 400 companyId, before authentication', async () => {
    const w = await world();
    expectError(await ask(w, { email: PAUL }), 400, MESSAGES.companyIdMissing);
  });

  test('malformed email: 400, before authentication', async () => {
    const w = await world();
    expectError(await ask(w, { email: 'paul', companyId: w.company.companyId }), 400, MESSAGES.emailMalformed);
    expectError(
      await ask(w, { email: 'paul@', companyId: w.company.companyId, key: w.company.token() }),
      400,
      MESSAGES.emailMalformed,
    );
  });

  test('email with wrong key: 403', async () => {
    const w = await world();
    const response = await ask(w, { email: PAUL, companyId: w.company.companyId, key: w.other.token() });
    expectError(response, 403, MESSAGES.authInvalid);
  });

  test('email with key in the Authorization header', async () => {
    const w = await world();
    const response = await ask(
      w,
      { email: PAUL, companyId: w.company.companyId },
      { authorization: `bEaReR ${w.company.token()}` },
    );
    expectPerson(response, paulBody(w, { email: PAUL }));
  });

  test('email is matched case-insensitively and trimmed', async () => {
    const w = await world();
    const response = await ask(w, {
      email: '  Paul.DOE@Example.com ',
      companyId: w.company.companyId,
      key: w.company.token(),
    });
    expectPerson(response, paulBody(w, { email: PAUL }));
  });

  test("another company's account: 404", async () => {
    const w = await world();
    const response = await ask(w, { email: FOREIGN, companyId: w.company.companyId, key: w.company.token() });
    expectError(response, 404, MESSAGES.emailNotFound);
  });

  test('unknown email: 404 with the same message', async () => {
    const w = await world();
    const unknown = await ask(w, {
      email: 'nobody@example.com',
      companyId: w.company.companyId,
      key: w.company.token(),
    });
    const foreign = await ask(w, { email: FOREIGN, companyId: w.company.companyId, key: w.company.token() });
    expectError(unknown, 404, MESSAGES.emailNotFound);
    expect(unknown.raw).toBe(foreign.raw);
  });

  test('account without company by email: 404', async () => {
    const w = await world();
    await makeAccount(w.store, { email: BARE, name: 'Bare Person' });
    const response = await ask(w, { email: BARE, companyId: w.company.companyId, key: w.company.token() });
    expectError(response, 404, MESSAGES.emailNotFound);
  });

  test('own locked account by email: visible, available false', async () => {
    const w = await world();
    const response = await ask(w, { email: LOCKED, companyId: w.company.companyId, key: w.company.token() });
    expectPerson(response, {
      success: true,
      error: false,
      name: 'Locked Person',
      talkToMe: w.locked.talkToMeId,
      avatar: null,
      email: LOCKED,
      phone: null,
      mobile: null,
      companyName: 'Company Ltd.',
      position: null,
      available: false,
      awayInfo: null,
      awayFrom: null,
      awayUntil: null,
      substitution: '',
      onlineState: 'OFFLINE',
    });
  });

  test('both talkToMeId and email: talkToMeId is used', async () => {
    const w = await world();
    const response = await ask(w, {
      talkToMeId: w.paul.talkToMeId,
      email: LOCKED,
      companyId: w.company.companyId,
      key: w.company.token(),
    });
    expectPerson(response, paulBody(w, { email: PAUL }));
  });

  test('both talkToMeId and email without a key: talkToMeId is used publicly', async () => {
    const w = await world();
    expectPerson(await ask(w, { talkToMeId: w.paul.talkToMeId, email: FOREIGN }), paulBody(w));
  });

  test('both, with an unknown talkToMeId: 404 for talkToMeId, not the email', async () => {
    const w = await world();
    const response = await ask(w, {
      talkToMeId: 'QAT88PF4NQUB50SOHFLIPQL9RT',
      email: PAUL,
      companyId: w.company.companyId,
      key: w.company.token(),
    });
    expectError(response, 404, MESSAGES.talkToMeIdNotFound);
  });
});

describe('person-info absence', () => {
  const AWAY_PUBLIC = async (w: World) => publicInfo(w, w.paul.talkToMeId);

  test('current absence with an end', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-20' });
    expectPerson(
      await AWAY_PUBLIC(w),
      paulBody(w, {
        available: false,
        awayInfo: 'Away until 08/20/2023.',
        awayFrom: '2023-08-01',
        awayUntil: '2023-08-20',
      }),
    );
  });

  test('current absence without an end: "Away."', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-01' });
    expectPerson(
      await AWAY_PUBLIC(w),
      paulBody(w, { available: false, awayInfo: 'Away.', awayFrom: '2023-08-01', awayUntil: null }),
    );
  });

  test('current absence without a start (only awayUntil)', async () => {
    const w = await world();
    await absence(w, { awayUntil: '2023-08-20' });
    expectPerson(
      await AWAY_PUBLIC(w),
      paulBody(w, { available: false, awayInfo: 'Away until 08/20/2023.', awayFrom: null, awayUntil: '2023-08-20' }),
    );
  });

  test('absence ahead with both ends', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-15', awayUntil: '2023-08-20' });
    expectPerson(
      await AWAY_PUBLIC(w),
      paulBody(w, {
        available: true,
        awayInfo: 'Away from 08/15/2023 until 08/20/2023.',
        awayFrom: '2023-08-15',
        awayUntil: '2023-08-20',
      }),
    );
  });

  test('absence ahead with only a start', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-09-01' });
    expectPerson(
      await AWAY_PUBLIC(w),
      paulBody(w, { available: true, awayInfo: 'Away from 09/01/2023.', awayFrom: '2023-09-01', awayUntil: null }),
    );
  });

  test('absence starting tomorrow is ahead', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-11', awayUntil: '2023-08-11' });
    expectFields(await AWAY_PUBLIC(w), {
      available: true,
      awayInfo: 'Away from 08/11/2023 until 08/11/2023.',
      awayFrom: '2023-08-11',
      awayUntil: '2023-08-11',
    });
  });

  test('past absence: nulls, substitution empty, available', async () => {
    const w = await world();
    const sub = await makeAccount(w.store, {
      email: 'sub@example.com',
      name: 'Sue Stitute',
      companyId: w.company.companyId,
    });
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-09', substitution: sub.email });
    expectPerson(await AWAY_PUBLIC(w), paulBody(w, NO_ABSENCE));
  });

  test('past absence with only awayUntil: nulls', async () => {
    const w = await world();
    await absence(w, { awayUntil: '2023-08-09' });
    expectPerson(await AWAY_PUBLIC(w), paulBody(w, NO_ABSENCE));
  });

  test('single-day absence today', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-10', awayUntil: '2023-08-10' });
    expectPerson(
      await AWAY_PUBLIC(w),
      paulBody(w, {
        available: false,
        awayInfo: 'Away until 08/10/2023.',
        awayFrom: '2023-08-10',
        awayUntil: '2023-08-10',
      }),
    );
  });

  test('both ends are inclusive: starting today and ending today', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-10', awayUntil: '2023-08-12' });
    expectFields(await AWAY_PUBLIC(w), { available: false, awayInfo: 'Away until 08/12/2023.' });
    await absence(w, { awayFrom: '2023-08-05', awayUntil: '2023-08-10' });
    expectFields(await AWAY_PUBLIC(w), { available: false, awayInfo: 'Away until 08/10/2023.' });
  });

  test('judged at read time: the absence ends when the day changes', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-10', awayUntil: '2023-08-10' });
    w.setNow(new Date('2023-08-10T23:59:59.999Z'));
    expectFields(await AWAY_PUBLIC(w), { available: false, awayInfo: 'Away until 08/10/2023.' });
    w.setNow(new Date('2023-08-11T00:00:00Z'));
    expectPerson(await AWAY_PUBLIC(w), paulBody(w, NO_ABSENCE));
  });

  test('judged at read time: an absence ahead starts when the day comes', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-11' });
    expectFields(await AWAY_PUBLIC(w), { available: true, awayInfo: 'Away from 08/11/2023.' });
    w.setNow(new Date('2023-08-11T00:00:00Z'));
    expectFields(await AWAY_PUBLIC(w), { available: false, awayInfo: 'Away.', awayFrom: '2023-08-11' });
  });

  test('a cleared absence shows nothing', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-20' });
    await absence(w, {});
    expectPerson(await AWAY_PUBLIC(w), paulBody(w, NO_ABSENCE));
  });

  test('the absence is shown the same with own credentials, plus the email', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-20' });
    expectPerson(
      await ownInfo(w, PAUL),
      paulBody(w, {
        email: PAUL,
        available: false,
        awayInfo: 'Away until 08/20/2023.',
        awayFrom: '2023-08-01',
        awayUntil: '2023-08-20',
      }),
    );
  });

  test('a locked account that is not absent is unavailable; absent and locked as well', async () => {
    const w = await world();
    await updateAccount(w.store.db, PAUL, { locked: true }, CHANGE);
    expectFields(await ownInfo(w, PAUL), { available: false, awayInfo: null });
    await updateAccount(w.store.db, PAUL, { locked: false }, CHANGE);
    await absence(w, { awayFrom: '2023-08-15' });
    await updateAccount(w.store.db, PAUL, { locked: true }, CHANGE);
    expectFields(await ownInfo(w, PAUL), { available: false, awayInfo: 'Away from 08/15/2023.' });
  });
});

describe('person-info substitution', () => {
  async function withSubstitutes(w: World) {
    const sub = await makeAccount(w.store, {
      email: 'sub@example.com',
      name: 'Sue Stitute',
      companyId: w.company.companyId,
    });
    const channel = await makeChannel(w.store, w.company.companyId, 'Sales Team');
    return { sub, channel };
  }

  test("while current: the substitute account's name", async () => {
    const w = await world();
    const { sub } = await withSubstitutes(w);
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-20', substitution: sub.email });
    expectPerson(
      await publicInfo(w, w.paul.talkToMeId),
      paulBody(w, {
        available: false,
        awayInfo: 'Away until 08/20/2023.',
        awayFrom: '2023-08-01',
        awayUntil: '2023-08-20',
        substitution: 'Sue Stitute',
      }),
    );
  });

  test('substitute given by talk-to-me identifier shows its name', async () => {
    const w = await world();
    const { sub } = await withSubstitutes(w);
    await absence(w, { awayFrom: '2023-08-01', substitution: sub.talkToMeId });
    expectFields(await publicInfo(w, w.paul.talkToMeId), { awayInfo: 'Away.', substitution: 'Sue Stitute' });
  });

  test("while ahead: the substitute account's name", async () => {
    const w = await world();
    const { sub } = await withSubstitutes(w);
    await absence(w, { awayFrom: '2023-08-15', substitution: sub.email });
    expectFields(await publicInfo(w, w.paul.talkToMeId), {
      available: true,
      awayInfo: 'Away from 08/15/2023.',
      substitution: 'Sue Stitute',
    });
  });

  test("while current: the channel's name", async () => {
    const w = await world();
    const { channel } = await withSubstitutes(w);
    await absence(w, { awayUntil: '2023-08-20', substitutionChannel: channel.channelId });
    expectFields(await publicInfo(w, w.paul.talkToMeId), { available: false, substitution: 'Sales Team' });
  });

  test('the channel wins over the substitute account', async () => {
    const w = await world();
    const { sub, channel } = await withSubstitutes(w);
    await absence(w, {
      awayFrom: '2023-08-15',
      awayUntil: '2023-08-20',
      substitution: sub.email,
      substitutionChannel: channel.channelId,
    });
    expectFields(await publicInfo(w, w.paul.talkToMeId), {
      awayInfo: 'Away from 08/15/2023 until 08/20/2023.',
      substitution: 'Sales Team',
    });
  });

  test('the channel wins even when both substitutes are stored', async () => {
    const w = await world();
    const { sub, channel } = await withSubstitutes(w);
    // The service stores only the channel when both are given; arrange both in the store directly.
    const ids = await w.store.db
      .selectFrom('accounts')
      .select(['id', 'email_key'])
      .where('email_key', 'in', [PAUL, sub.email])
      .execute();
    const id = (email: string) => ids.find((row) => row.email_key === email)?.id ?? '';
    await updateAccountRow(w.store.db, id(PAUL), {
      away_from: '2023-08-01',
      substitute_account_id: id(sub.email),
      substitute_channel_id: channel.channelId,
    });
    expectFields(await publicInfo(w, w.paul.talkToMeId), { awayInfo: 'Away.', substitution: 'Sales Team' });
  });

  test('past absence: substitution empty, for account and channel', async () => {
    const w = await world();
    const { sub, channel } = await withSubstitutes(w);
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-09', substitution: sub.email });
    expectPerson(await publicInfo(w, w.paul.talkToMeId), paulBody(w, NO_ABSENCE));
    await absence(w, { awayUntil: '2023-08-09', substitutionChannel: channel.channelId });
    expectPerson(await publicInfo(w, w.paul.talkToMeId), paulBody(w, NO_ABSENCE));
  });

  test('a substitute without absence dates has no effect', async () => {
    const w = await world();
    const { sub, channel } = await withSubstitutes(w);
    await absence(w, { substitution: sub.email });
    expectPerson(await publicInfo(w, w.paul.talkToMeId), paulBody(w, NO_ABSENCE));
    await absence(w, { substitutionChannel: channel.channelId });
    expectPerson(await publicInfo(w, w.paul.talkToMeId), paulBody(w, NO_ABSENCE));
  });

  test('a substitute that is later locked still shows by name', async () => {
    const w = await world();
    const { sub } = await withSubstitutes(w);
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-20', substitution: sub.email });
    await updateAccount(w.store.db, sub.email, { locked: true }, CHANGE);
    expectFields(await publicInfo(w, w.paul.talkToMeId), { substitution: 'Sue Stitute' });
  });

  test('a renamed substitute shows the new name', async () => {
    const w = await world();
    const { sub } = await withSubstitutes(w);
    await absence(w, { awayFrom: '2023-08-01', substitution: sub.email });
    await updateAccount(w.store.db, sub.email, { name: 'Susan Stitute' }, CHANGE);
    expectFields(await publicInfo(w, w.paul.talkToMeId), { substitution: 'Susan Stitute' });
  });
});

describe('person-info time zones', () => {
  // 10:30 UTC on 2023-08-10 is 00:30 on 2023-08-11 in Kiritimati (UTC+14).
  const KIRITIMATI_MORNING = new Date('2023-08-10T10:30:00Z');
  // 05:00 UTC on 2023-08-10 is 18:00 on 2023-08-09 in Pago Pago (UTC-11).
  const PAGO_PAGO_EVENING = new Date('2023-08-10T05:00:00Z');

  test('Pacific/Kiritimati: an absence starting on the local day is current although the UTC day is earlier', async () => {
    const w = await world('Pacific/Kiritimati');
    await absence(w, { awayFrom: '2023-08-11', awayUntil: '2023-08-12' });
    w.setNow(KIRITIMATI_MORNING);
    expectPerson(
      await publicInfo(w, w.paul.talkToMeId),
      paulBody(w, {
        available: false,
        awayInfo: 'Away until 08/12/2023.',
        awayFrom: '2023-08-11',
        awayUntil: '2023-08-12',
      }),
    );
  });

  test('Pacific/Kiritimati: an absence ending on the UTC day is already past', async () => {
    const w = await world('Pacific/Kiritimati');
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-10' });
    w.setNow(KIRITIMATI_MORNING);
    expectPerson(await publicInfo(w, w.paul.talkToMeId), paulBody(w, NO_ABSENCE));
  });

  test('Pacific/Kiritimati: just before local midnight it is still the earlier day', async () => {
    const w = await world('Pacific/Kiritimati');
    await absence(w, { awayFrom: '2023-08-11' });
    w.setNow(new Date('2023-08-10T09:59:59Z'));
    expectFields(await publicInfo(w, w.paul.talkToMeId), { available: true, awayInfo: 'Away from 08/11/2023.' });
    w.setNow(new Date('2023-08-10T10:00:00Z'));
    expectFields(await publicInfo(w, w.paul.talkToMeId), { available: false, awayInfo: 'Away.' });
  });

  test('Pacific/Pago_Pago: an absence starting on the UTC day is still ahead locally', async () => {
    const w = await world('Pacific/Pago_Pago');
    await absence(w, { awayFrom: '2023-08-10', awayUntil: '2023-08-12' });
    w.setNow(PAGO_PAGO_EVENING);
    expectPerson(
      await publicInfo(w, w.paul.talkToMeId),
      paulBody(w, {
        available: true,
        awayInfo: 'Away from 08/10/2023 until 08/12/2023.',
        awayFrom: '2023-08-10',
        awayUntil: '2023-08-12',
      }),
    );
  });

  test('Pacific/Pago_Pago: an absence that ended on the previous UTC day is still current locally', async () => {
    const w = await world('Pacific/Pago_Pago');
    await absence(w, { awayFrom: '2023-08-05', awayUntil: '2023-08-09' });
    w.setNow(PAGO_PAGO_EVENING);
    expectFields(await publicInfo(w, w.paul.talkToMeId), {
      available: false,
      awayInfo: 'Away until 08/09/2023.',
      awayFrom: '2023-08-05',
      awayUntil: '2023-08-09',
    });
  });

  test('a UTC company at the same moments judges by the UTC day', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-10', awayUntil: '2023-08-12' });
    w.setNow(PAGO_PAGO_EVENING);
    expectFields(await publicInfo(w, w.paul.talkToMeId), { available: false, awayInfo: 'Away until 08/12/2023.' });
    await absence(w, { awayFrom: '2023-08-11', awayUntil: '2023-08-12' });
    w.setNow(KIRITIMATI_MORNING);
    expectFields(await publicInfo(w, w.paul.talkToMeId), {
      available: true,
      awayInfo: 'Away from 08/11/2023 until 08/12/2023.',
    });
  });

  test('by email with credentials: the token follows the UTC day, the absence the local day', async () => {
    const w = await world('Pacific/Kiritimati');
    await absence(w, { awayFrom: '2023-08-11', awayUntil: '2023-08-11' });
    w.setNow(KIRITIMATI_MORNING);
    expectFields(await ownInfo(w, PAUL, KIRITIMATI_MORNING), {
      email: PAUL,
      available: false,
      awayInfo: 'Away until 08/11/2023.',
    });
  });

  test('account without company: judged in UTC, companyName null', async () => {
    const w = await world('Pacific/Kiritimati');
    const bare = await makeAccount(w.store, { email: BARE, name: 'Bare Person' });
    // setAbsence needs a company; the absence of an account of no company is arranged in the store.
    const row = await w.store.db
      .selectFrom('accounts')
      .select('id')
      .where('email_key', '=', BARE)
      .executeTakeFirstOrThrow();
    await updateAccountRow(w.store.db, row.id, { away_from: '2023-08-11', away_until: '2023-08-12' });
    w.setNow(KIRITIMATI_MORNING);
    expectPerson(await publicInfo(w, bare.talkToMeId), {
      success: true,
      error: false,
      name: 'Bare Person',
      talkToMe: bare.talkToMeId,
      avatar: null,
      email: '',
      phone: null,
      mobile: null,
      companyName: null,
      position: null,
      available: true,
      awayInfo: 'Away from 08/11/2023 until 08/12/2023.',
      awayFrom: '2023-08-11',
      awayUntil: '2023-08-12',
      substitution: '',
      onlineState: 'OFFLINE',
    });
    w.setNow(new Date('2023-08-11T00:00:00Z'));
    expectFields(await publicInfo(w, bare.talkToMeId), { available: false, awayInfo: 'Away until 08/12/2023.' });
  });
});

describe('person-info changes nothing', () => {
  test('rejected requests leave the store unchanged', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-01', awayUntil: '2023-08-20' });
    const before = await snapshot(w.store);
    const rejected = [
      await call(w.app, PATH, { talkToMeId: w.paul.talkToMeId, companyId: w.company.companyId, key: 'wrong' }),
      await call(w.app, PATH, { email: PAUL, companyId: w.company.companyId }, { transport: 'form' }),
      await call(w.app, PATH, {}, { transport: 'json' }),
      await call(w.app, PATH, { talkToMeId: w.locked.talkToMeId }),
      await call(w.app, PATH, { email: FOREIGN, companyId: w.company.companyId, key: w.company.token() }),
    ];
    expect(rejected.map((response) => response.status)).toEqual([403, 401, 400, 404, 404]);
    expect(await snapshot(w.store)).toEqual(before);
  });

  test('answered requests leave the store unchanged', async () => {
    const w = await world();
    const before = await snapshot(w.store);
    expectPerson(await publicInfo(w, w.paul.talkToMeId), paulBody(w));
    expectPerson(await ownInfo(w, PAUL), paulBody(w, { email: PAUL }));
    expect(await snapshot(w.store)).toEqual(before);
  });
});

describe('person-info transports agree', () => {
  test('GET, POST form and POST JSON give identical answers for every case', async () => {
    const w = await world();
    await absence(w, { awayFrom: '2023-08-15', awayUntil: '2023-08-20' });
    const cases: Record<string, string>[] = [
      { talkToMeId: w.paul.talkToMeId },
      { talkToMeId: w.paul.talkToMeId, companyId: w.company.companyId, key: w.company.token() },
      { email: PAUL, companyId: w.company.companyId, key: w.company.token() },
      { email: LOCKED, companyId: w.company.companyId, key: w.company.token() },
      { email: FOREIGN, companyId: w.company.companyId, key: w.company.token() },
      { talkToMeId: w.locked.talkToMeId },
      { talkToMeId: 'short' },
      { email: PAUL, companyId: w.company.companyId },
      { talkToMeId: w.paul.talkToMeId, key: w.company.token() },
      {},
    ];
    for (const params of cases) {
      const answers = [];
      for (const transport of TRANSPORTS) {
        const response = await call(w.app, PATH, params, { transport });
        answers.push({ status: response.status, raw: response.raw });
      }
      expect(answers[1]).toEqual(answers[0]);
      expect(answers[2]).toEqual(answers[0]);
    }
  });
});
