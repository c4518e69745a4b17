import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/domain/errors.js';
import { getAccount } from '../../src/service/accounts.js';
import { recentAudit } from '../../src/service/audit.js';
import { setDoNotDisturb } from '../../src/service/do-not-disturb.js';
import { makeAccount, makeCompany, TEST_CHANGE } from '../factories.js';
import { buildTestApp, call, NOON, snapshot, type Transport } from '../helper.js';

const PATH = '/api/do-not-disturb';
const TRANSPORTS: Transport[] = ['query', 'form', 'json'];
const SAVED = { success: true, error: false, message: 'The changes have been saved' };

const MSG = {
  accountEmailMissing: 'The parameter accountEmail must be filled.',
  companyIdMissing: 'The parameter companyId must be filled.',
  accountEmailInvalid: 'The parameter accountEmail must be a valid email address.',
  notFlag: 'The parameter dnd must be a boolean: true/false, 1/0, yes/no or on/off.',
  notString: 'The parameter dnd must be a string.',
  authRequired: 'Authentication required: send the access key as parameter key or in the Authorization header.',
  authInvalid: 'Invalid authentication.',
  notFound: 'No account was found for the parameter accountEmail.',
  otherCompany: 'The account given as accountEmail does not belong to your company.',
  locked: 'The account given as accountEmail is locked.',
} as const;

const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ9';

function errorBody(message: string) {
  return { success: false, error: true, message };
}

async function setup() {
  const { app, store } = await buildTestApp();
  const company = await makeCompany(store, { name: 'Home Ltd.' });
  const otherCompany = await makeCompany(store, { name: 'Other Ltd.' });
  const account = await makeAccount(store, {
    companyId: company.companyId,
    email: 'Alice@Example.com',
    name: 'Alice Busy',
    onlineState: 'ONLINE',
  });
  const lockedAccount = await makeAccount(store, {
    companyId: company.companyId,
    email: 'dave.locked@example.com',
    name: 'Dave Locked',
    locked: true,
  });
  const foreign = await makeAccount(store, {
    companyId: otherCompany.companyId,
    email: 'erin@other.example.com',
    name: 'Erin Foreign',
  });
  const homeless = await makeAccount(store, { email: 'frank@nowhere.example.com', name: 'Frank Homeless' });
  const params = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    accountEmail: account.email,
    companyId: company.companyId,
    key: company.token(),
    ...extra,
  });
  /** Sets the flag directly through the service, to start a test from a known state. */
  const preset = (dnd: boolean, email = account.email) =>
    setDoNotDisturb(store.db, company.companyId, { accountEmail: email, dnd }, TEST_CHANGE);
  const dndOf = async (email = account.email) => (await getAccount(store.db, email)).dnd;
  return { app, store, company, otherCompany, account, lockedAccount, foreign, homeless, params, preset, dndOf };
}

type Setup = Awaited<ReturnType<typeof setup>>;

async function expectSaved(
  t: Setup,
  params: Record<string, unknown>,
  transport: Transport,
  headers?: Record<string, string>,
) {
  const before = await snapshot(t.store);
  const response = await call(t.app, PATH, params, { transport, headers });
  expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: SAVED });
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  const after = await snapshot(t.store);
  expect(after.audit.length).toBe(before.audit.length + 1);
}

async function expectRejected(
  t: Setup,
  params: Record<string, unknown>,
  transport: Transport,
  status: number,
  message: string,
  headers?: Record<string, string>,
) {
  const before = await snapshot(t.store);
  const response = await call(t.app, PATH, params, { transport, headers });
  expect({ status: response.status, body: response.body }).toEqual({ status, body: errorBody(message) });
  expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(await snapshot(t.store)).toEqual(before);
}

function without(params: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => !names.includes(name)));
}

describe('do-not-disturb messages', () => {
  it('uses the message of the errors table for an invalid flag', () => {
    expect(ERRORS.PARAMETER_NOT_FLAG.message('dnd')).toBe(MSG.notFlag);
    expect(ERRORS.PARAMETER_NOT_STRING.message('dnd')).toBe(MSG.notString);
  });
});

describe.each(TRANSPORTS)('do-not-disturb over %s: successful writes', (transport) => {
  it('sets dnd to true when the parameter is missing', async () => {
    const t = await setup();
    expect(await t.dndOf()).toBe(false);
    await expectSaved(t, t.params(), transport);
    expect(await t.dndOf()).toBe(true);
  });

  it('keeps dnd true when the parameter is missing and dnd is already set', async () => {
    const t = await setup();
    await t.preset(true);
    await expectSaved(t, t.params(), transport);
    expect(await t.dndOf()).toBe(true);
  });

  it('treats an empty or blank dnd as missing: default true', async () => {
    const t = await setup();
    await expectSaved(t, t.params({ dnd: '' }), transport);
    expect(await t.dndOf()).toBe(true);
    await t.preset(false);
    await expectSaved(t, t.params({ dnd: '   ' }), transport);
    expect(await t.dndOf()).toBe(true);
  });

  it.each(['true', 'TRUE', 'True', '1', 'yes', 'YES', 'Yes', 'on', 'ON', 'On', ' true '])(
    'sets dnd for %j',
    async (value) => {
      const t = await setup();
      await t.preset(false);
      await expectSaved(t, t.params({ dnd: value }), transport);
      expect(await t.dndOf()).toBe(true);
    },
  );

  it.each(['false', 'FALSE', 'False', '0', 'no', 'NO', 'No', 'off', 'OFF', 'Off', ' off '])(
    'clears dnd for %j',
    async (value) => {
      const t = await setup();
      await t.preset(true);
      await expectSaved(t, t.params({ dnd: value }), transport);
      expect(await t.dndOf()).toBe(false);
    },
  );

  it('toggles back and forth', async () => {
    const t = await setup();
    await expectSaved(t, t.params({ dnd: 'on' }), transport);
    expect(await t.dndOf()).toBe(true);
    await expectSaved(t, t.params({ dnd: 'off' }), transport);
    expect(await t.dndOf()).toBe(false);
    await expectSaved(t, t.params({ dnd: 'yes' }), transport);
    expect(await t.dndOf()).toBe(true);
  });

  it('records one audit row with action, actor, time, before and after', async () => {
    const t = await setup();
    await expectSaved(t, t.params({ dnd: 'true' }), transport);
    const [set] = await recentAudit(t.store.db, { companyId: t.company.companyId, limit: 1 });
    expect(set).toMatchObject({
      action: 'account.dnd',
      at: NOON.toISOString(),
      companyId: t.company.companyId,
      subject: 'account:Alice@Example.com',
      before: { dnd: false },
      after: { dnd: true },
    });
    expect(set?.actor).toContain(t.company.companyId);

    await expectSaved(t, t.params({ dnd: 'false' }), transport);
    const [cleared] = await recentAudit(t.store.db, { companyId: t.company.companyId, limit: 1 });
    expect(cleared).toMatchObject({ action: 'account.dnd', before: { dnd: true }, after: { dnd: false } });
    expect(cleared?.actor).toContain(t.company.companyId);
  });

  it('changes only the dnd flag of the given account', async () => {
    const t = await setup();
    const before = await getAccount(t.store.db, t.account.email);
    const otherBefore = await getAccount(t.store.db, t.foreign.email);
    await expectSaved(t, t.params({ dnd: 'yes' }), transport);
    expect(await getAccount(t.store.db, t.account.email)).toEqual({ ...before, dnd: true });
    expect(await getAccount(t.store.db, t.foreign.email)).toEqual(otherBefore);
  });

  it('matches accountEmail case-insensitively after trimming', async () => {
    const t = await setup();
    await expectSaved(t, t.params({ accountEmail: '  alice@EXAMPLE.com ', dnd: '1' }), transport);
    expect(await t.dndOf()).toBe(true);
  });

  it('accepts the token in the Authorization header', async () => {
    const t = await setup();
    await expectSaved(t, without(t.params({ dnd: '1' }), 'key'), transport, {
      authorization: `bearer ${t.company.token()}`,
    });
    expect(await t.dndOf()).toBe(true);
  });

  it.each(['ONLINE', 'AWAY', 'OFFLINE'] as const)(
    'changes neither available nor onlineState in person-info (onlineState %s)',
    async (onlineState) => {
      const { app, store } = await buildTestApp();
      const company = await makeCompany(store);
      const account = await makeAccount(store, { companyId: company.companyId, onlineState });
      const params = { accountEmail: account.email, companyId: company.companyId, key: company.token() };
      const info = async () => {
        const response = await call(app, '/api/person-info', { talkToMeId: account.talkToMeId });
        expect(response.status).toBe(200);
        return response.body;
      };
      const before = await info();
      expect(before).toMatchObject({ available: true, onlineState });

      const set = await call(app, PATH, { ...params, dnd: 'true' }, { transport });
      expect({ status: set.status, body: set.body }).toEqual({ status: 200, body: SAVED });
      expect((await getAccount(store.db, account.email)).dnd).toBe(true);
      expect(await info()).toEqual(before);

      const cleared = await call(app, PATH, { ...params, dnd: 'false' }, { transport });
      expect({ status: cleared.status, body: cleared.body }).toEqual({ status: 200, body: SAVED });
      expect((await getAccount(store.db, account.email)).dnd).toBe(false);
      expect(await info()).toEqual(before);
    },
  );

  it('keeps available false for an absent account when dnd is cleared', async () => {
    const t = await setup();
    const absence = await call(
      t.app,
      '/api/out-of-office',
      t.params({ awayFrom: '2023-08-01', awayUntil: '2023-08-20' }),
      { transport },
    );
    expect({ status: absence.status, body: absence.body }).toEqual({ status: 200, body: SAVED });
    const info = async () => (await call(t.app, '/api/person-info', { talkToMeId: t.account.talkToMeId })).body;
    const before = await info();
    expect(before).toMatchObject({ available: false, onlineState: 'ONLINE' });
    await expectSaved(t, t.params({ dnd: 'true' }), transport);
    expect(await info()).toEqual(before);
    await expectSaved(t, t.params({ dnd: 'false' }), transport);
    expect(await info()).toEqual(before);
  });
});

interface RejectionCase {
  name: string;
  params: (t: Setup) => Record<string, unknown>;
  status: number;
  message: string;
  headers?: (t: Setup) => Record<string, string>;
}

const REJECTIONS: RejectionCase[] = [
  ...['maybe', '2', '-1', 'y', 'n', 'truee', 'enabled', 'null', 'undefined', 'tru e'].map(
    (dnd): RejectionCase => ({
      name: `invalid dnd ${JSON.stringify(dnd)}`,
      params: (t) => t.params({ dnd }),
      status: 400,
      message: MSG.notFlag,
    }),
  ),
  {
    name: 'missing accountEmail',
    params: (t) => without(t.params({ dnd: 'true' }), 'accountEmail'),
    status: 400,
    message: MSG.accountEmailMissing,
  },
  {
    name: 'blank accountEmail',
    params: (t) => t.params({ accountEmail: ' ', dnd: 'true' }),
    status: 400,
    message: MSG.accountEmailMissing,
  },
  {
    name: 'missing companyId',
    params: (t) => without(t.params({ dnd: 'true' }), 'companyId'),
    status: 400,
    message: MSG.companyIdMissing,
  },
  {
    name: 'missing accountEmail and companyId (accountEmail named first)',
    params: (t) => without(t.params({ dnd: 'true' }), 'accountEmail', 'companyId'),
    status: 400,
    message: MSG.accountEmailMissing,
  },
  ...['alice', 'alice@example', 'al ice@example.com', 'alice@@example.com'].map(
    (accountEmail): RejectionCase => ({
      name: `malformed accountEmail ${JSON.stringify(accountEmail)}`,
      params: (t) => t.params({ accountEmail, dnd: 'true' }),
      status: 400,
      message: MSG.accountEmailInvalid,
    }),
  ),
  {
    name: 'no key anywhere',
    params: (t) => without(t.params({ dnd: 'true' }), 'key'),
    status: 401,
    message: MSG.authRequired,
  },
  {
    name: "another company's token",
    params: (t) => t.params({ dnd: 'true', key: t.otherCompany.token() }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'a token of five days ahead',
    params: (t) => t.params({ dnd: 'true', key: t.company.token(NOON, 5) }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'a garbage key',
    params: (t) => t.params({ dnd: 'true', key: 'garbage' }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'an unknown company',
    params: (t) => t.params({ dnd: 'true', companyId: UNKNOWN_ID }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'a Basic Authorization header',
    params: (t) => without(t.params({ dnd: 'true' }), 'key'),
    headers: (t) => ({ authorization: `Basic ${t.company.token()}` }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'unknown account',
    params: (t) => t.params({ accountEmail: 'nobody@example.com', dnd: 'true' }),
    status: 404,
    message: MSG.notFound,
  },
  {
    name: "another company's account",
    params: (t) => t.params({ accountEmail: t.foreign.email, dnd: 'true' }),
    status: 403,
    message: MSG.otherCompany,
  },
  {
    name: 'an account without company',
    params: (t) => t.params({ accountEmail: t.homeless.email }),
    status: 403,
    message: MSG.otherCompany,
  },
  {
    name: 'a locked account',
    params: (t) => t.params({ accountEmail: t.lockedAccount.email, dnd: 'false' }),
    status: 403,
    message: MSG.locked,
  },
  // Check order (CONTRACT.md 2 and 6.1).
  {
    name: 'order: missing companyId + invalid dnd -> companyId missing',
    params: (t) => without(t.params({ dnd: 'maybe' }), 'companyId'),
    status: 400,
    message: MSG.companyIdMissing,
  },
  {
    name: 'order: missing accountEmail + no key -> 400, not 401',
    params: (t) => without(t.params({ dnd: 'true' }), 'accountEmail', 'key'),
    status: 400,
    message: MSG.accountEmailMissing,
  },
  {
    name: 'order: invalid dnd + no key -> 400, not 401',
    params: (t) => without(t.params({ dnd: 'maybe' }), 'key'),
    status: 400,
    message: MSG.notFlag,
  },
  {
    name: 'order: invalid dnd + wrong key -> 400, not 403',
    params: (t) => t.params({ dnd: 'maybe', key: t.otherCompany.token() }),
    status: 400,
    message: MSG.notFlag,
  },
  {
    name: 'order: invalid dnd + unknown account -> 400, not 404',
    params: (t) => t.params({ accountEmail: 'nobody@example.com', dnd: 'maybe' }),
    status: 400,
    message: MSG.notFlag,
  },
  {
    name: 'order: invalid dnd + locked account -> 400, not 403',
    params: (t) => t.params({ accountEmail: t.lockedAccount.email, dnd: 'maybe' }),
    status: 400,
    message: MSG.notFlag,
  },
  {
    name: 'order: malformed accountEmail + wrong key -> 400, not 403',
    params: (t) => t.params({ accountEmail: 'alice', key: 'wrong' }),
    status: 400,
    message: MSG.accountEmailInvalid,
  },
  {
    name: 'order: no key + unknown account -> 401, not 404',
    params: (t) => without(t.params({ accountEmail: 'nobody@example.com' }), 'key'),
    status: 401,
    message: MSG.authRequired,
  },
  {
    name: 'order: wrong key + unknown account -> 403 invalid authentication, not 404',
    params: (t) => t.params({ accountEmail: 'nobody@example.com', key: t.otherCompany.token() }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: "order: wrong key + another company's account -> 403 invalid authentication",
    params: (t) => t.params({ accountEmail: t.foreign.email, key: 'wrong' }),
    status: 403,
    message: MSG.authInvalid,
  },
];

describe.each(TRANSPORTS)('do-not-disturb over %s: rejected writes change nothing', (transport) => {
  it.each(REJECTIONS.map((rejection) => [rejection.name, rejection] as const))('%s', async (_name, rejection) => {
    const t = await setup();
    // Start from dnd set, so that a wrongly accepted write of any value would be visible in the snapshot too.
    await t.preset(true);
    await expectRejected(
      t,
      rejection.params(t),
      transport,
      rejection.status,
      rejection.message,
      rejection.headers?.(t),
    );
  });

  it('leaves a locked account untouched whatever dnd says', async () => {
    const t = await setup();
    await expectRejected(t, t.params({ accountEmail: t.lockedAccount.email }), transport, 403, MSG.locked);
    await expectRejected(t, t.params({ accountEmail: t.lockedAccount.email, dnd: 'on' }), transport, 403, MSG.locked);
    expect(await t.dndOf(t.lockedAccount.email)).toBe(false);
  });
});

describe('do-not-disturb with a JSON body', () => {
  it('accepts JSON boolean true', async () => {
    const t = await setup();
    await expectSaved(t, t.params({ dnd: true }), 'json');
    expect(await t.dndOf()).toBe(true);
  });

  it('accepts JSON boolean false', async () => {
    const t = await setup();
    await t.preset(true);
    await expectSaved(t, t.params({ dnd: false }), 'json');
    expect(await t.dndOf()).toBe(false);
    const [entry] = await recentAudit(t.store.db, { companyId: t.company.companyId, limit: 1 });
    expect(entry).toMatchObject({ action: 'account.dnd', before: { dnd: true }, after: { dnd: false } });
  });

  it('counts null as missing: default true', async () => {
    const t = await setup();
    await expectSaved(t, t.params({ dnd: null }), 'json');
    expect(await t.dndOf()).toBe(true);
  });

  it.each([
    ['the number 1', 1],
    ['the number 0', 0],
    ['an array', [true]],
    ['an object', { value: true }],
  ])('rejects %s as dnd', async (_label, dnd) => {
    const t = await setup();
    await t.preset(true);
    await expectRejected(t, t.params({ dnd }), 'json', 400, MSG.notString);
  });

  it('rejects a boolean for another parameter', async () => {
    const t = await setup();
    await expectRejected(
      t,
      t.params({ accountEmail: true, dnd: true }),
      'json',
      400,
      'The parameter accountEmail must be a string.',
    );
  });

  it('lets a body dnd win over a query dnd', async () => {
    const t = await setup();
    const query = new URLSearchParams({ dnd: 'true' }).toString();
    const before = await snapshot(t.store);
    const response = await t.app.inject({
      method: 'POST',
      url: `${PATH}?${query}`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(t.params({ dnd: false })),
    });
    expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 200, body: SAVED });
    expect(await t.dndOf()).toBe(false);
    expect((await snapshot(t.store)).audit.length).toBe(before.audit.length + 1);
  });
});
