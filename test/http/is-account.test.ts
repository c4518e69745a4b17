import { describe, expect, test } from 'vitest';
import { computeAccessToken, utcDay } from '../../src/domain/access-token.js';
import { makeAccount, makeCompany, type TestCompany } from '../factories.js';
import { buildTestApp, call, NOON, snapshot, type TestApp, type Transport } from '../helper.js';

const PATH = '/api/is-account';
const TRANSPORTS: Transport[] = ['query', 'form', 'json'];
const JSON_TYPE = 'application/json; charset=utf-8';

const MESSAGES = {
  companyIdMissing: 'The parameter companyId must be filled.',
  emailMissing: 'The parameter email must be filled.',
  emailMalformed: 'The parameter email must be a valid email address.',
  authRequired: 'Authentication required: send the access key as parameter key or in the Authorization header.',
  authInvalid: 'Invalid authentication.',
};

const OWN_VERIFIED = 'own.verified@example.com';
const OWN_UNVERIFIED = 'own.unverified@example.com';
const OWN_LOCKED = 'own.locked@example.com';
const FOREIGN = 'foreign@example.com';
const FOREIGN_LOCKED = 'foreign.locked@example.com';
const HOMELESS = 'homeless@example.com';
const UNKNOWN = 'nobody@example.com';

interface World extends TestApp {
  company: TestCompany;
  other: TestCompany;
}

/** A company with a verified, an unverified and a locked account; another company; an account of no company. */
async function world(config: Parameters<typeof buildTestApp>[0] = {}): Promise<World> {
  const test = await buildTestApp(config);
  const company = await makeCompany(test.store);
  const other = await makeCompany(test.store);
  await makeAccount(test.store, { email: OWN_VERIFIED, companyId: company.companyId, verified: true });
  await makeAccount(test.store, { email: OWN_UNVERIFIED, companyId: company.companyId, verified: false });
  await makeAccount(test.store, { email: OWN_LOCKED, companyId: company.companyId, verified: true, locked: true });
  await makeAccount(test.store, { email: FOREIGN, companyId: other.companyId, verified: true });
  await makeAccount(test.store, { email: FOREIGN_LOCKED, companyId: other.companyId, verified: true, locked: true });
  await makeAccount(test.store, { email: HOMELESS, verified: true });
  return { ...test, company, other };
}

function errorBody(message: string) {
  return { success: false, error: true, message };
}

/** Asserts status, content type, exact error body and its key order. */
function expectError(response: Awaited<ReturnType<typeof call>>, status: number, message: string) {
  expect({ status: response.status, body: response.body }).toEqual({ status, body: errorBody(message) });
  expect(Object.keys(response.body)).toEqual(['success', 'error', 'message']);
  expect(response.headers['content-type']).toBe(JSON_TYPE);
}

function expectAnswer(response: Awaited<ReturnType<typeof call>>, expected: Record<string, boolean>) {
  expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: expected });
  expect(Object.keys(response.body)).toEqual(Object.keys(expected));
  expect(response.headers['content-type']).toBe(JSON_TYPE);
}

const EXISTS_VERIFIED = { success: true, error: false, exists: true, verified: true };
const EXISTS_UNVERIFIED = { success: true, error: false, exists: true, verified: false };
const EXISTS = { success: true, error: false, exists: true };
const NOT_EXISTS = { success: true, error: false, exists: false };

describe.each(TRANSPORTS)('is-account answers (%s)', (transport) => {
  async function ask(w: World, email: string) {
    return call(w.app, PATH, { companyId: w.company.companyId, email, key: w.company.token() }, { transport });
  }

  test('own verified account: exists and verified true, keys in order', async () => {
    const w = await world();
    const response = await ask(w, OWN_VERIFIED);
    expectAnswer(response, EXISTS_VERIFIED);
    expect(Object.keys(response.body)).toEqual(['success', 'error', 'exists', 'verified']);
    expect(typeof response.body.verified).toBe('boolean');
  });

  test('own unverified account: verified false', async () => {
    const w = await world();
    expectAnswer(await ask(w, OWN_UNVERIFIED), EXISTS_UNVERIFIED);
  });

  test("another company's account: exists true and no verified key", async () => {
    const w = await world();
    const response = await ask(w, FOREIGN);
    expectAnswer(response, EXISTS);
    expect(response.body).not.toHaveProperty('verified');
  });

  test('account of no company: exists true and no verified key', async () => {
    const w = await world();
    const response = await ask(w, HOMELESS);
    expectAnswer(response, EXISTS);
    expect(response.body).not.toHaveProperty('verified');
  });

  test('unknown email: exists false and no verified key', async () => {
    const w = await world();
    const response = await ask(w, UNKNOWN);
    expectAnswer(response, NOT_EXISTS);
    expect(response.body).not.toHaveProperty('verified');
  });

  test('a locked own account still exists, with its verification', async () => {
    const w = await world();
    expectAnswer(await ask(w, OWN_LOCKED), EXISTS_VERIFIED);
  });

  test('a locked account of another company still exists, without verified', async () => {
    const w = await world();
    expectAnswer(await ask(w, FOREIGN_LOCKED), EXISTS);
  });

  test('email is matched case-insensitively and trimmed', async () => {
    const w = await world();
    expectAnswer(await ask(w, '  Own.Verified@EXAMPLE.com  '), EXISTS_VERIFIED);
    expectAnswer(await ask(w, '\tOWN.UNVERIFIED@example.COM '), EXISTS_UNVERIFIED);
    expectAnswer(await ask(w, ' FOREIGN@Example.Com'), EXISTS);
  });

  test('an account stored with upper-case letters is found by a lower-case email', async () => {
    const w = await world();
    await makeAccount(w.store, { email: 'Mixed.Case@Example.com', companyId: w.company.companyId, verified: true });
    expectAnswer(await ask(w, 'mixed.case@example.com'), EXISTS_VERIFIED);
  });

  test('companyId and key are trimmed', async () => {
    const w = await world();
    const response = await call(
      w.app,
      PATH,
      { companyId: ` ${w.company.companyId} `, email: OWN_VERIFIED, key: ` ${w.company.token()} ` },
      { transport },
    );
    expectAnswer(response, EXISTS_VERIFIED);
  });
});

describe.each(TRANSPORTS)('is-account required parameters and formats (%s)', (transport) => {
  test('missing companyId: 400', async () => {
    const w = await world();
    const response = await call(w.app, PATH, { email: OWN_VERIFIED, key: w.company.token() }, { transport });
    expectError(response, 400, MESSAGES.companyIdMissing);
  });

  test('missing email: 400', async () => {
    const w = await world();
    const response = await call(w.app, PATH, { companyId: w.company.companyId, key: w.company.token() }, { transport });
    expectError(response, 400, MESSAGES.emailMissing);
  });

  test('both missing: companyId is named first', async () => {
    const w = await world();
    expectError(await call(w.app, PATH, { key: w.company.token() }, { transport }), 400, MESSAGES.companyIdMissing);
  });

  test('nothing at all: companyId is named', async () => {
    const w = await world();
    expectError(await call(w.app, PATH, {}, { transport }), 400, MESSAGES.companyIdMissing);
  });

  test('missing email without any key: 400, not 401', async () => {
    const w = await world();
    expectError(await call(w.app, PATH, { companyId: w.company.companyId }, { transport }), 400, MESSAGES.emailMissing);
  });

  test('empty or blank values count as missing', async () => {
    const w = await world();
    const key = w.company.token();
    expectError(
      await call(w.app, PATH, { companyId: '', email: OWN_VERIFIED, key }, { transport }),
      400,
      MESSAGES.companyIdMissing,
    );
    expectError(
      await call(w.app, PATH, { companyId: w.company.companyId, email: '   ', key }, { transport }),
      400,
      MESSAGES.emailMissing,
    );
  });

  test('malformed email: 400 naming email', async () => {
    const w = await world();
    const key = w.company.token();
    for (const email of ['not-an-email', 'a@b', 'two@@example.com', 'a b@example.com', '@example.com']) {
      const response = await call(w.app, PATH, { companyId: w.company.companyId, email, key }, { transport });
      expectError(response, 400, MESSAGES.emailMalformed);
    }
  });

  test('malformed email is reported before a missing key', async () => {
    const w = await world();
    const response = await call(w.app, PATH, { companyId: w.company.companyId, email: 'nope' }, { transport });
    expectError(response, 400, MESSAGES.emailMalformed);
  });

  test('unknown parameters are ignored', async () => {
    const w = await world();
    const response = await call(
      w.app,
      PATH,
      { companyId: w.company.companyId, email: OWN_VERIFIED, key: w.company.token(), extra: 'whatever' },
      { transport },
    );
    expectAnswer(response, EXISTS_VERIFIED);
  });
});

describe.each(TRANSPORTS)('is-account authentication (%s)', (transport) => {
  function ask(w: World, params: Record<string, string>, headers?: Record<string, string>) {
    return call(w.app, PATH, params, { transport, headers });
  }

  test('no key anywhere: 401', async () => {
    const w = await world();
    expectError(await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED }), 401, MESSAGES.authRequired);
  });

  test('empty key parameter counts as no key: 401', async () => {
    const w = await world();
    const response = await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key: '' });
    expectError(response, 401, MESSAGES.authRequired);
  });

  test('wrong key: 403', async () => {
    const w = await world();
    const response = await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key: 'a'.repeat(64) });
    expectError(response, 403, MESSAGES.authInvalid);
  });

  test("another company's token for this companyId: 403", async () => {
    const w = await world();
    const response = await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key: w.other.token() });
    expectError(response, 403, MESSAGES.authInvalid);
  });

  test('unknown company: 403 with the same message', async () => {
    const w = await world();
    const unknown = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ1';
    const token = computeAccessToken(w.company.apiKey, unknown, utcDay(NOON.getTime()), 'sha256');
    expectError(await ask(w, { companyId: unknown, email: OWN_VERIFIED, key: token }), 403, MESSAGES.authInvalid);
  });

  test('malformed companyId: 403', async () => {
    const w = await world();
    for (const companyId of ['abc', `${w.company.companyId}X`, 'JSOM3ACS72QAJ2I1IM1D5VNFG!']) {
      const response = await ask(w, { companyId, email: OWN_VERIFIED, key: w.company.token() });
      expectError(response, 403, MESSAGES.authInvalid);
    }
  });

  test('companyId is matched case-insensitively', async () => {
    const w = await world();
    const response = await ask(w, {
      companyId: w.company.companyId.toLowerCase(),
      email: OWN_VERIFIED,
      key: w.company.token(),
    });
    expectAnswer(response, EXISTS_VERIFIED);
  });

  test("yesterday's and tomorrow's tokens are accepted", async () => {
    const w = await world();
    for (const offset of [-1, 0, 1]) {
      const key = w.company.token(NOON, offset);
      expectAnswer(await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key }), EXISTS_VERIFIED);
    }
  });

  test('tokens two days off are refused', async () => {
    const w = await world();
    for (const offset of [-2, 2]) {
      const key = w.company.token(NOON, offset);
      expectError(
        await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key }),
        403,
        MESSAGES.authInvalid,
      );
    }
  });

  test('the token day follows the clock: at 23:59:59Z and at 00:00Z', async () => {
    const w = await world();
    const key = w.company.token(NOON);
    w.setNow(new Date('2023-08-11T23:59:59Z'));
    expectAnswer(await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key }), EXISTS_VERIFIED);
    w.setNow(new Date('2023-08-12T00:00:00Z'));
    expectError(await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key }), 403, MESSAGES.authInvalid);
  });

  test("window 0: only today's token", async () => {
    const w = await world({ authDayWindow: 0 });
    const today = w.company.token(NOON, 0);
    expectAnswer(await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key: today }), EXISTS_VERIFIED);
    for (const offset of [-1, 1]) {
      const key = w.company.token(NOON, offset);
      expectError(
        await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key }),
        403,
        MESSAGES.authInvalid,
      );
    }
  });

  test('upper-case hex token is accepted', async () => {
    const w = await world();
    const key = w.company.token().toUpperCase();
    expectAnswer(await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key }), EXISTS_VERIFIED);
  });

  test('a truncated token is refused', async () => {
    const w = await world();
    const key = w.company.token().slice(0, -1);
    expectError(await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key }), 403, MESSAGES.authInvalid);
  });

  test('MD5 company: md5 token accepted, sha256 token refused', async () => {
    const w = await world();
    const md5 = await makeCompany(w.store, { hash: 'md5' });
    await makeAccount(w.store, { email: 'md5.user@example.com', companyId: md5.companyId, verified: true });
    const md5Token = md5.token();
    expect(md5Token).toMatch(/^[0-9a-f]{32}$/);
    expectAnswer(
      await ask(w, { companyId: md5.companyId, email: 'md5.user@example.com', key: md5Token }),
      EXISTS_VERIFIED,
    );
    const sha = computeAccessToken(md5.apiKey, md5.companyId, utcDay(NOON.getTime()), 'sha256');
    expectError(
      await ask(w, { companyId: md5.companyId, email: 'md5.user@example.com', key: sha }),
      403,
      MESSAGES.authInvalid,
    );
  });

  test('the raw API key is not a token', async () => {
    const w = await world();
    const response = await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key: w.company.apiKey });
    expectError(response, 403, MESSAGES.authInvalid);
  });
});

describe.each(TRANSPORTS)('is-account Authorization header (%s)', (transport) => {
  function ask(w: World, params: Record<string, string>, authorization: string) {
    return call(w.app, PATH, params, { transport, headers: { authorization } });
  }

  test('bare token in the header', async () => {
    const w = await world();
    const response = await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED }, w.company.token());
    expectAnswer(response, EXISTS_VERIFIED);
  });

  test('"Bearer <token>" in the header, any letter case', async () => {
    const w = await world();
    for (const scheme of ['Bearer', 'bearer', 'bEaReR', 'BEARER']) {
      const response = await ask(
        w,
        { companyId: w.company.companyId, email: OWN_UNVERIFIED },
        `${scheme} ${w.company.token()}`,
      );
      expectAnswer(response, EXISTS_UNVERIFIED);
    }
  });

  test('Bearer with a wrong token: 403', async () => {
    const w = await world();
    const response = await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED }, `Bearer ${'0'.repeat(64)}`);
    expectError(response, 403, MESSAGES.authInvalid);
  });

  test('header wins over parameter: valid header, wrong parameter', async () => {
    const w = await world();
    const response = await ask(
      w,
      { companyId: w.company.companyId, email: OWN_VERIFIED, key: 'f'.repeat(64) },
      `Bearer ${w.company.token()}`,
    );
    expectAnswer(response, EXISTS_VERIFIED);
  });

  test('header wins over parameter: wrong header, valid parameter', async () => {
    const w = await world();
    const response = await ask(
      w,
      { companyId: w.company.companyId, email: OWN_VERIFIED, key: w.company.token() },
      'f'.repeat(64),
    );
    expectError(response, 403, MESSAGES.authInvalid);
  });

  test('"Basic xyz" header: 403', async () => {
    const w = await world();
    const response = await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED }, 'Basic xyz');
    expectError(response, 403, MESSAGES.authInvalid);
  });

  test('"Basic <valid token>" header: 403, even with a valid key parameter', async () => {
    const w = await world();
    const response = await ask(
      w,
      { companyId: w.company.companyId, email: OWN_VERIFIED, key: w.company.token() },
      `Basic ${w.company.token()}`,
    );
    expectError(response, 403, MESSAGES.authInvalid);
  });

  test('empty header counts as absent: 401 without key parameter', async () => {
    const w = await world();
    const response = await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED }, '');
    expectError(response, 401, MESSAGES.authRequired);
  });

  test('empty header counts as absent: the key parameter is used', async () => {
    const w = await world();
    const response = await ask(w, { companyId: w.company.companyId, email: OWN_VERIFIED, key: w.company.token() }, '');
    expectAnswer(response, EXISTS_VERIFIED);
  });

  test('blank header counts as absent: the key parameter is used', async () => {
    const w = await world();
    const response = await ask(
      w,
      { companyId: w.company.companyId, email: OWN_VERIFIED, key: w.company.token() },
      '   ',
    );
    expectAnswer(response, EXISTS_VERIFIED);
  });

  test('header token of yesterday is accepted, of two days ago refused', async () => {
    const w = await world();
    const params = { companyId: w.company.companyId, email: OWN_VERIFIED };
    expectAnswer(await ask(w, params, `Bearer ${w.company.token(NOON, -1)}`), EXISTS_VERIFIED);
    expectError(await ask(w, params, `Bearer ${w.company.token(NOON, -2)}`), 403, MESSAGES.authInvalid);
  });

  test('missing email with a valid header: 400', async () => {
    const w = await world();
    const response = await ask(w, { companyId: w.company.companyId }, `Bearer ${w.company.token()}`);
    expectError(response, 400, MESSAGES.emailMissing);
  });
});

describe('is-account transports agree', () => {
  test('GET, POST form and POST JSON give identical answers for every case', async () => {
    const w = await world();
    const cases: Record<string, string>[] = [
      { companyId: w.company.companyId, email: OWN_VERIFIED, key: w.company.token() },
      { companyId: w.company.companyId, email: OWN_UNVERIFIED, key: w.company.token() },
      { companyId: w.company.companyId, email: FOREIGN, key: w.company.token() },
      { companyId: w.company.companyId, email: UNKNOWN, key: w.company.token() },
      { companyId: w.company.companyId, email: OWN_VERIFIED },
      { companyId: w.company.companyId, email: OWN_VERIFIED, key: 'wrong' },
      { email: OWN_VERIFIED },
      { companyId: w.company.companyId, email: 'bad' },
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

  test('a body value wins over a query value of the same name', async () => {
    const w = await world();
    const response = await w.app.inject({
      method: 'POST',
      url: PATH,
      query: { companyId: w.company.companyId, email: UNKNOWN, key: w.company.token() },
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: OWN_VERIFIED }),
    });
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 200, body: EXISTS_VERIFIED });
  });
});

describe('is-account changes nothing', () => {
  test('a rejected request leaves the store unchanged', async () => {
    const w = await world();
    const before = await snapshot(w.store);
    const rejected = [
      await call(w.app, PATH, { companyId: w.company.companyId, email: OWN_VERIFIED, key: 'wrong' }),
      await call(w.app, PATH, { companyId: w.company.companyId, email: OWN_VERIFIED }, { transport: 'form' }),
      await call(w.app, PATH, { companyId: w.company.companyId }, { transport: 'json' }),
    ];
    expect(rejected.map((response) => response.status)).toEqual([403, 401, 400]);
    expect(await snapshot(w.store)).toEqual(before);
  });

  test('an answered request leaves the store unchanged', async () => {
    const w = await world();
    const before = await snapshot(w.store);
    const response = await call(w.app, PATH, {
      companyId: w.company.companyId,
      email: OWN_VERIFIED,
      key: w.company.token(),
    });
    expectAnswer(response, EXISTS_VERIFIED);
    expect(await snapshot(w.store)).toEqual(before);
  });
});
