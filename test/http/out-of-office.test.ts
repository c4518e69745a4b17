import { describe, expect, it } from 'vitest';
import { getAccount } from '../../src/service/accounts.js';
import { recentAudit } from '../../src/service/audit.js';
import { makeAccount, makeChannel, makeCompany } from '../factories.js';
import { buildTestApp, call, NOON, snapshot, type Transport } from '../helper.js';

const PATH = '/api/out-of-office';
const TRANSPORTS: Transport[] = ['query', 'form', 'json'];
const SAVED = { success: true, error: false, message: 'The changes have been saved' };

const MSG = {
  accountEmailMissing: 'The parameter accountEmail must be filled.',
  companyIdMissing: 'The parameter companyId must be filled.',
  accountEmailInvalid: 'The parameter accountEmail must be a valid email address.',
  awayFromInvalid: 'The parameter awayFrom must be a date in the format YYYY-MM-DD.',
  awayUntilInvalid: 'The parameter awayUntil must be a date in the format YYYY-MM-DD.',
  reversed: 'The parameter awayFrom must not be after awayUntil.',
  substituteUnknown:
    'The parameter substitution must be the email or talk-to-me identifier of an account of your company.',
  substituteSelf: 'The parameter substitution must name another account than accountEmail.',
  substituteLocked: 'The parameter substitution names a locked account.',
  channelUnknown: 'The parameter substitutionChannel must be the identifier of a channel of your company.',
  authRequired: 'Authentication required: send the access key as parameter key or in the Authorization header.',
  authInvalid: 'Invalid authentication.',
  notFound: 'No account was found for the parameter accountEmail.',
  otherCompany: 'The account given as accountEmail does not belong to your company.',
  locked: 'The account given as accountEmail is locked.',
} as const;

/** An identifier of the right shape that names nothing. */
const UNKNOWN_ID = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ9';

function errorBody(message: string) {
  return { success: false, error: true, message };
}

/** A company with an account, possible substitutes and channels, and a second company with its own. */
async function setup() {
  const { app, store } = await buildTestApp();
  const company = await makeCompany(store, { name: 'Home Ltd.' });
  const otherCompany = await makeCompany(store, { name: 'Other Ltd.' });
  const account = await makeAccount(store, {
    companyId: company.companyId,
    email: 'alice@example.com',
    name: 'Alice Absent',
  });
  const substitute = await makeAccount(store, {
    companyId: company.companyId,
    email: 'Bob.Sub@Example.com',
    name: 'Bob Substitute',
  });
  const lockedSubstitute = await makeAccount(store, {
    companyId: company.companyId,
    email: 'carol.locked@example.com',
    name: 'Carol Locked',
    locked: true,
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
  const channel = await makeChannel(store, company.companyId, 'Support Desk', [substitute.email]);
  const foreignChannel = await makeChannel(store, otherCompany.companyId, 'Other Desk', [foreign.email]);
  /** Valid credentials for `account`, plus the given parameters. */
  const params = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    accountEmail: account.email,
    companyId: company.companyId,
    key: company.token(),
    ...extra,
  });
  return {
    app,
    store,
    company,
    otherCompany,
    account,
    substitute,
    lockedSubstitute,
    lockedAccount,
    foreign,
    homeless,
    channel,
    foreignChannel,
    params,
  };
}

type Setup = Awaited<ReturnType<typeof setup>>;

/** The internal id of an account, as the audit trail records substitutes. */
async function accountId(t: Setup, email: string): Promise<string> {
  const row = await t.store.db
    .selectFrom('accounts')
    .select('id')
    .where('email_key', '=', email.trim().toLowerCase())
    .executeTakeFirstOrThrow();
  return row.id;
}

async function absenceOf(t: Setup, email: string) {
  const stored = await getAccount(t.store.db, email);
  return {
    awayFrom: stored.awayFrom,
    awayUntil: stored.awayUntil,
    substitution: stored.substitution,
    substitutionChannel: stored.substitutionChannel,
  };
}

/** A successful write: exact body, and exactly one audit row more. */
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

/** A rejected write: exact status and error body, and the store unchanged (no audit row either). */
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

describe.each(TRANSPORTS)('out-of-office over %s: successful writes', (transport) => {
  it('saves a whole absence with a substitute and answers exactly the saved body', async () => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', awayUntil: '2023-08-25', substitution: t.substitute.email }),
      transport,
    );
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: '2023-08-14',
      awayUntil: '2023-08-25',
      substitution: 'Bob.Sub@Example.com',
      substitutionChannel: null,
    });
  });

  it('records one audit row with action, actor, time, before and after', async () => {
    const t = await setup();
    const bobId = await accountId(t, t.substitute.email);
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', awayUntil: '2023-08-25', substitution: t.substitute.email }),
      transport,
    );
    const [first] = await recentAudit(t.store.db, { companyId: t.company.companyId, limit: 1 });
    expect(first).toMatchObject({
      action: 'account.absence',
      at: NOON.toISOString(),
      companyId: t.company.companyId,
      subject: 'account:alice@example.com',
      before: { away_from: null, away_until: null, substitute_account_id: null, substitute_channel_id: null },
      after: {
        away_from: '2023-08-14',
        away_until: '2023-08-25',
        substitute_account_id: bobId,
        substitute_channel_id: null,
      },
    });
    expect(first?.actor).toContain(t.company.companyId);

    // The next change has the previous state as its "before".
    await expectSaved(t, t.params({ awayUntil: '2023-08-31', substitutionChannel: t.channel.channelId }), transport);
    const [second] = await recentAudit(t.store.db, { companyId: t.company.companyId, limit: 1 });
    expect(second).toMatchObject({
      action: 'account.absence',
      before: {
        away_from: '2023-08-14',
        away_until: '2023-08-25',
        substitute_account_id: bobId,
        substitute_channel_id: null,
      },
      after: {
        away_from: null,
        away_until: '2023-08-31',
        substitute_account_id: null,
        substitute_channel_id: t.channel.channelId,
      },
    });
    expect(second?.actor).toContain(t.company.companyId);
  });

  it('replaces the whole absence: a second call with only awayUntil clears awayFrom and the substitute', async () => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', awayUntil: '2023-08-25', substitution: t.substitute.email }),
      transport,
    );
    await expectSaved(t, t.params({ awayUntil: '2023-09-01' }), transport);
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: null,
      awayUntil: '2023-09-01',
      substitution: null,
      substitutionChannel: null,
    });
  });

  it('clears a substitute channel by omission too', async () => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', awayUntil: '2023-08-25', substitutionChannel: t.channel.channelId }),
      transport,
    );
    await expectSaved(t, t.params({ awayFrom: '2023-08-20' }), transport);
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: '2023-08-20',
      awayUntil: null,
      substitution: null,
      substitutionChannel: null,
    });
  });

  it('clears everything when none of the four optional parameters is sent', async () => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', awayUntil: '2023-08-25', substitution: t.substitute.email }),
      transport,
    );
    await expectSaved(t, t.params(), transport);
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: null,
      awayUntil: null,
      substitution: null,
      substitutionChannel: null,
    });
  });

  it('treats empty and blank optional values as missing, so they clear', async () => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', awayUntil: '2023-08-25', substitution: t.substitute.email }),
      transport,
    );
    await expectSaved(
      t,
      t.params({ awayFrom: '', awayUntil: '   ', substitution: '', substitutionChannel: ' ' }),
      transport,
    );
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: null,
      awayUntil: null,
      substitution: null,
      substitutionChannel: null,
    });
  });

  it('stores a single-day absence, which person-info shows as current today', async () => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-10', awayUntil: '2023-08-10', substitution: t.substitute.email }),
      transport,
    );
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: '2023-08-10',
      awayUntil: '2023-08-10',
      substitution: 'Bob.Sub@Example.com',
      substitutionChannel: null,
    });
    const info = await call(t.app, '/api/person-info', { talkToMeId: t.account.talkToMeId });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      available: false,
      awayInfo: 'Away until 08/10/2023.',
      awayFrom: '2023-08-10',
      awayUntil: '2023-08-10',
      substitution: 'Bob Substitute',
    });
  });

  it('stores an absence with only awayFrom, or only awayUntil', async () => {
    const t = await setup();
    await expectSaved(t, t.params({ awayFrom: '2023-08-14' }), transport);
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: '2023-08-14',
      awayUntil: null,
      substitution: null,
      substitutionChannel: null,
    });
    await expectSaved(t, t.params({ awayUntil: '2023-08-14' }), transport);
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: null,
      awayUntil: '2023-08-14',
      substitution: null,
      substitutionChannel: null,
    });
  });

  it('stores a substitute without dates', async () => {
    const t = await setup();
    await expectSaved(t, t.params({ substitution: t.substitute.email }), transport);
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: null,
      awayUntil: null,
      substitution: 'Bob.Sub@Example.com',
      substitutionChannel: null,
    });
  });

  it.each([
    ['exact case', 'Bob.Sub@Example.com'],
    ['lower case', 'bob.sub@example.com'],
    ['upper case with surrounding spaces', '  BOB.SUB@EXAMPLE.COM  '],
  ])('finds the substitute by email in %s', async (_label, reference) => {
    const t = await setup();
    await expectSaved(t, t.params({ awayFrom: '2023-08-14', substitution: reference }), transport);
    expect((await getAccount(t.store.db, t.account.email)).substitution).toBe('Bob.Sub@Example.com');
  });

  it.each([
    ['upper case', (id: string) => id],
    ['lower case', (id: string) => id.toLowerCase()],
    ['with surrounding spaces', (id: string) => `  ${id.toLowerCase()} `],
  ])('finds the substitute by talk-to-me id in %s', async (_label, form) => {
    const t = await setup();
    await expectSaved(t, t.params({ awayFrom: '2023-08-14', substitution: form(t.substitute.talkToMeId) }), transport);
    expect((await getAccount(t.store.db, t.account.email)).substitution).toBe('Bob.Sub@Example.com');
  });

  it('stores a substitute channel, matched case-insensitively', async () => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', substitutionChannel: ` ${t.channel.channelId.toLowerCase()} ` }),
      transport,
    );
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: '2023-08-14',
      awayUntil: null,
      substitution: null,
      substitutionChannel: t.channel.channelId,
    });
  });

  it('lets substitutionChannel override a valid substitution', async () => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({
        awayFrom: '2023-08-14',
        awayUntil: '2023-08-20',
        substitution: t.substitute.email,
        substitutionChannel: t.channel.channelId,
      }),
      transport,
    );
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: '2023-08-14',
      awayUntil: '2023-08-20',
      substitution: null,
      substitutionChannel: t.channel.channelId,
    });
    const info = await call(t.app, '/api/person-info', { talkToMeId: t.account.talkToMeId });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      awayInfo: 'Away from 08/14/2023 until 08/20/2023.',
      substitution: 'Support Desk',
    });
  });

  it.each([
    ['an unknown email', (_t: Setup) => 'nobody@example.com'],
    ['a malformed value', (_t: Setup) => 'not a substitute'],
    ['an unknown talk-to-me id', (_t: Setup) => UNKNOWN_ID],
    ['the account itself', (t: Setup) => t.account.email],
    ['a locked account', (t: Setup) => t.lockedSubstitute.email],
    ["another company's account", (t: Setup) => t.foreign.email],
  ])('ignores %s as substitution when substitutionChannel is given', async (_label, substitution) => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', substitution: substitution(t), substitutionChannel: t.channel.channelId }),
      transport,
    );
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: '2023-08-14',
      awayUntil: null,
      substitution: null,
      substitutionChannel: t.channel.channelId,
    });
  });

  it('matches accountEmail case-insensitively after trimming', async () => {
    const t = await setup();
    await expectSaved(t, t.params({ accountEmail: '  ALICE@Example.COM ', awayFrom: '2023-08-14' }), transport);
    expect((await getAccount(t.store.db, t.account.email)).awayFrom).toBe('2023-08-14');
  });

  it('accepts the token in the Authorization header instead of the key parameter', async () => {
    const t = await setup();
    const { key: _key, ...withoutKey } = t.params({ awayFrom: '2023-08-14' });
    await expectSaved(t, withoutKey, transport, { authorization: `Bearer ${t.company.token()}` });
    expect((await getAccount(t.store.db, t.account.email)).awayFrom).toBe('2023-08-14');
  });

  it('changes only the given account', async () => {
    const t = await setup();
    const before = await getAccount(t.store.db, t.substitute.email);
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', awayUntil: '2023-08-25', substitution: t.substitute.email }),
      transport,
    );
    expect(await getAccount(t.store.db, t.substitute.email)).toEqual(before);
  });
});

interface RejectionCase {
  name: string;
  params: (t: Setup) => Record<string, unknown>;
  status: number;
  message: string;
  headers?: (t: Setup) => Record<string, string>;
}

function without(params: Record<string, unknown>, ...names: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([name]) => !names.includes(name)));
}

const REJECTIONS: RejectionCase[] = [
  // Required parameters.
  {
    name: 'missing accountEmail',
    params: (t) => without(t.params({ awayFrom: '2023-08-14' }), 'accountEmail'),
    status: 400,
    message: MSG.accountEmailMissing,
  },
  {
    name: 'blank accountEmail',
    params: (t) => t.params({ accountEmail: '   ' }),
    status: 400,
    message: MSG.accountEmailMissing,
  },
  {
    name: 'missing companyId',
    params: (t) => without(t.params({ awayFrom: '2023-08-14' }), 'companyId'),
    status: 400,
    message: MSG.companyIdMissing,
  },
  {
    name: 'missing accountEmail and companyId (accountEmail named first)',
    params: (t) => without(t.params(), 'accountEmail', 'companyId'),
    status: 400,
    message: MSG.accountEmailMissing,
  },
  // Formats.
  ...['alice', 'alice@example', 'alice@@example.com', 'al ice@example.com', '@example.com'].map(
    (accountEmail): RejectionCase => ({
      name: `malformed accountEmail ${JSON.stringify(accountEmail)}`,
      params: (t) => t.params({ accountEmail }),
      status: 400,
      message: MSG.accountEmailInvalid,
    }),
  ),
  {
    name: 'accountEmail longer than 254 characters',
    params: (t) => t.params({ accountEmail: `${'a'.repeat(250)}@example.com` }),
    status: 400,
    message: MSG.accountEmailInvalid,
  },
  ...['2023-02-30', '2023-8-1', '2023-08-1', '10.08.2023', '2023-08-10T00:00:00Z', '2023-13-01', 'tomorrow'].flatMap(
    (date): RejectionCase[] => [
      {
        name: `malformed awayFrom ${JSON.stringify(date)}`,
        params: (t) => t.params({ awayFrom: date, awayUntil: '2023-12-31' }),
        status: 400,
        message: MSG.awayFromInvalid,
      },
      {
        name: `malformed awayUntil ${JSON.stringify(date)}`,
        params: (t) => t.params({ awayFrom: '2023-01-01', awayUntil: date }),
        status: 400,
        message: MSG.awayUntilInvalid,
      },
    ],
  ),
  {
    name: 'awayFrom after awayUntil',
    params: (t) => t.params({ awayFrom: '2023-08-15', awayUntil: '2023-08-14' }),
    status: 400,
    message: MSG.reversed,
  },
  // Substitutes and channels.
  {
    name: 'unknown substitute email',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitution: 'nobody@example.com' }),
    status: 400,
    message: MSG.substituteUnknown,
  },
  {
    name: 'unknown substitute talk-to-me id',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitution: UNKNOWN_ID }),
    status: 400,
    message: MSG.substituteUnknown,
  },
  {
    name: 'substitute that is neither email nor identifier',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitution: 'Bob Substitute' }),
    status: 400,
    message: MSG.substituteUnknown,
  },
  {
    name: "substitute of another company by email (same message as unknown: existence doesn't leak)",
    params: (t) => t.params({ awayFrom: '2023-08-14', substitution: t.foreign.email }),
    status: 400,
    message: MSG.substituteUnknown,
  },
  {
    name: 'substitute of another company by talk-to-me id',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitution: t.foreign.talkToMeId }),
    status: 400,
    message: MSG.substituteUnknown,
  },
  {
    name: 'substitute without company',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitution: t.homeless.email }),
    status: 400,
    message: MSG.substituteUnknown,
  },
  {
    name: 'substitute is the account itself (by email, other case)',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitution: ' ALICE@example.com ' }),
    status: 400,
    message: MSG.substituteSelf,
  },
  {
    name: 'substitute is the account itself (by talk-to-me id)',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitution: t.account.talkToMeId.toLowerCase() }),
    status: 400,
    message: MSG.substituteSelf,
  },
  {
    name: 'locked substitute by email',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitution: t.lockedSubstitute.email }),
    status: 400,
    message: MSG.substituteLocked,
  },
  {
    name: 'locked substitute by talk-to-me id',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitution: t.lockedSubstitute.talkToMeId }),
    status: 400,
    message: MSG.substituteLocked,
  },
  {
    name: 'unknown channel',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitutionChannel: UNKNOWN_ID }),
    status: 400,
    message: MSG.channelUnknown,
  },
  {
    name: 'channel identifier of the wrong shape',
    params: (t) => t.params({ awayFrom: '2023-08-14', substitutionChannel: 'support-desk' }),
    status: 400,
    message: MSG.channelUnknown,
  },
  {
    name: "another company's channel",
    params: (t) => t.params({ awayFrom: '2023-08-14', substitutionChannel: t.foreignChannel.channelId }),
    status: 400,
    message: MSG.channelUnknown,
  },
  {
    name: "another company's channel with a valid substitute",
    params: (t) =>
      t.params({
        awayFrom: '2023-08-14',
        substitution: t.substitute.email,
        substitutionChannel: t.foreignChannel.channelId,
      }),
    status: 400,
    message: MSG.channelUnknown,
  },
  // Authentication.
  {
    name: 'no key anywhere',
    params: (t) => without(t.params({ awayFrom: '2023-08-14' }), 'key'),
    status: 401,
    message: MSG.authRequired,
  },
  {
    name: 'empty key and empty Authorization header',
    params: (t) => t.params({ awayFrom: '2023-08-14', key: '' }),
    headers: () => ({ authorization: '' }),
    status: 401,
    message: MSG.authRequired,
  },
  {
    name: "another company's token",
    params: (t) => t.params({ awayFrom: '2023-08-14', key: t.otherCompany.token() }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'a token of five days ago',
    params: (t) => t.params({ awayFrom: '2023-08-14', key: t.company.token(NOON, -5) }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'a garbage key',
    params: (t) => t.params({ awayFrom: '2023-08-14', key: 'not-a-token' }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'the raw API key instead of the token',
    params: (t) => t.params({ awayFrom: '2023-08-14', key: t.company.apiKey }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'an unknown company',
    params: (t) => t.params({ awayFrom: '2023-08-14', companyId: UNKNOWN_ID }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'a wrong token in the Authorization header beside a right key parameter (header wins)',
    params: (t) => t.params({ awayFrom: '2023-08-14' }),
    headers: (t) => ({ authorization: `Bearer ${t.otherCompany.token()}` }),
    status: 403,
    message: MSG.authInvalid,
  },
  // The account.
  {
    name: 'unknown account',
    params: (t) => t.params({ accountEmail: 'nobody@example.com', awayFrom: '2023-08-14' }),
    status: 404,
    message: MSG.notFound,
  },
  {
    name: "another company's account",
    params: (t) => t.params({ accountEmail: t.foreign.email, awayFrom: '2023-08-14' }),
    status: 403,
    message: MSG.otherCompany,
  },
  {
    name: 'an account without company',
    params: (t) => t.params({ accountEmail: t.homeless.email, awayFrom: '2023-08-14' }),
    status: 403,
    message: MSG.otherCompany,
  },
  {
    name: 'a locked account',
    params: (t) => t.params({ accountEmail: t.lockedAccount.email, awayFrom: '2023-08-14' }),
    status: 403,
    message: MSG.locked,
  },
  {
    name: 'a locked account clearing its absence',
    params: (t) => t.params({ accountEmail: t.lockedAccount.email }),
    status: 403,
    message: MSG.locked,
  },
];

/** Several problems at once: the check order of CONTRACT.md 2 and 6.1. */
const ORDER: RejectionCase[] = [
  {
    name: 'missing companyId + malformed accountEmail + malformed date -> companyId missing',
    params: (t) => without(t.params({ accountEmail: 'alice', awayFrom: '2023-02-30' }), 'companyId'),
    status: 400,
    message: MSG.companyIdMissing,
  },
  {
    name: 'missing accountEmail + no key -> 400, not 401',
    params: (t) => without(t.params({ awayFrom: '2023-08-14' }), 'accountEmail', 'key'),
    status: 400,
    message: MSG.accountEmailMissing,
  },
  {
    name: 'malformed date + no key -> 400, not 401',
    params: (t) => without(t.params({ awayFrom: '2023-02-30' }), 'key'),
    status: 400,
    message: MSG.awayFromInvalid,
  },
  {
    name: 'malformed awayUntil + wrong key -> 400, not 403',
    params: (t) => t.params({ awayUntil: '2023-8-1', key: 'wrong' }),
    status: 400,
    message: MSG.awayUntilInvalid,
  },
  {
    name: 'awayFrom after awayUntil + no key -> 400, not 401',
    params: (t) => without(t.params({ awayFrom: '2023-08-20', awayUntil: '2023-08-01' }), 'key'),
    status: 400,
    message: MSG.reversed,
  },
  {
    name: 'malformed accountEmail + wrong key -> 400, not 403',
    params: (t) => t.params({ accountEmail: 'alice@', key: t.otherCompany.token() }),
    status: 400,
    message: MSG.accountEmailInvalid,
  },
  {
    name: 'malformed accountEmail + unknown company -> 400',
    params: (t) => t.params({ accountEmail: 'alice', companyId: UNKNOWN_ID }),
    status: 400,
    message: MSG.accountEmailInvalid,
  },
  {
    name: 'awayFrom after awayUntil + unknown account -> 400, not 404',
    params: (t) => t.params({ accountEmail: 'nobody@example.com', awayFrom: '2023-08-20', awayUntil: '2023-08-01' }),
    status: 400,
    message: MSG.reversed,
  },
  {
    name: 'malformed date + locked account -> 400, not 403',
    params: (t) => t.params({ accountEmail: t.lockedAccount.email, awayFrom: '2023-02-30' }),
    status: 400,
    message: MSG.awayFromInvalid,
  },
  {
    name: 'no key + unknown account -> 401, not 404',
    params: (t) => without(t.params({ accountEmail: 'nobody@example.com' }), 'key'),
    status: 401,
    message: MSG.authRequired,
  },
  {
    name: 'no key + unknown substitute -> 401, not 400',
    params: (t) => without(t.params({ substitution: 'nobody@example.com' }), 'key'),
    status: 401,
    message: MSG.authRequired,
  },
  {
    name: 'no key + unknown channel -> 401, not 400',
    params: (t) => without(t.params({ substitutionChannel: UNKNOWN_ID }), 'key'),
    status: 401,
    message: MSG.authRequired,
  },
  {
    name: 'wrong key + unknown account -> 403 invalid authentication, not 404',
    params: (t) => t.params({ accountEmail: 'nobody@example.com', key: t.otherCompany.token() }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'wrong key + locked account -> 403 invalid authentication',
    params: (t) => t.params({ accountEmail: t.lockedAccount.email, key: t.otherCompany.token() }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'wrong key + unknown substitute -> 403 invalid authentication, not 400',
    params: (t) => t.params({ substitution: 'nobody@example.com', key: 'wrong' }),
    status: 403,
    message: MSG.authInvalid,
  },
  {
    name: 'unknown account + unknown substitute -> 404',
    params: (t) => t.params({ accountEmail: 'nobody@example.com', substitution: 'ghost@example.com' }),
    status: 404,
    message: MSG.notFound,
  },
  {
    name: 'unknown account + unknown channel -> 404',
    params: (t) => t.params({ accountEmail: 'nobody@example.com', substitutionChannel: UNKNOWN_ID }),
    status: 404,
    message: MSG.notFound,
  },
  {
    name: "another company's account + unknown substitute -> 403",
    params: (t) => t.params({ accountEmail: t.foreign.email, substitution: 'ghost@example.com' }),
    status: 403,
    message: MSG.otherCompany,
  },
  {
    name: "another company's account naming itself as substitute -> 403",
    params: (t) => t.params({ accountEmail: t.foreign.email, substitution: t.foreign.email }),
    status: 403,
    message: MSG.otherCompany,
  },
  {
    name: 'locked account + unknown substitute -> 403 locked',
    params: (t) => t.params({ accountEmail: t.lockedAccount.email, substitution: 'ghost@example.com' }),
    status: 403,
    message: MSG.locked,
  },
  {
    name: "locked account + another company's channel -> 403 locked",
    params: (t) => t.params({ accountEmail: t.lockedAccount.email, substitutionChannel: t.foreignChannel.channelId }),
    status: 403,
    message: MSG.locked,
  },
  {
    name: 'valid dates + unknown substitute -> 400 substitute, and the dates are not saved',
    params: (t) => t.params({ awayFrom: '2023-08-14', awayUntil: '2023-08-20', substitution: 'ghost@example.com' }),
    status: 400,
    message: MSG.substituteUnknown,
  },
];

describe.each(TRANSPORTS)('out-of-office over %s: rejected writes change nothing', (transport) => {
  it.each(REJECTIONS.map((rejection) => [rejection.name, rejection] as const))('%s', async (_name, rejection) => {
    const t = await setup();
    await expectRejected(
      t,
      rejection.params(t),
      transport,
      rejection.status,
      rejection.message,
      rejection.headers?.(t),
    );
  });

  it('keeps an existing absence when a later write is rejected', async () => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', awayUntil: '2023-08-25', substitution: t.substitute.email }),
      transport,
    );
    await expectRejected(t, t.params({ substitution: t.lockedSubstitute.email }), transport, 400, MSG.substituteLocked);
    await expectRejected(t, t.params({ substitutionChannel: UNKNOWN_ID }), transport, 400, MSG.channelUnknown);
    await expectRejected(t, t.params({ awayUntil: '2023-02-29' }), transport, 400, MSG.awayUntilInvalid);
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: '2023-08-14',
      awayUntil: '2023-08-25',
      substitution: 'Bob.Sub@Example.com',
      substitutionChannel: null,
    });
  });
});

describe.each(TRANSPORTS)('out-of-office over %s: check order', (transport) => {
  it.each(ORDER.map((rejection) => [rejection.name, rejection] as const))('%s', async (_name, rejection) => {
    const t = await setup();
    await expectRejected(
      t,
      rejection.params(t),
      transport,
      rejection.status,
      rejection.message,
      rejection.headers?.(t),
    );
  });
});

describe('out-of-office with a JSON body', () => {
  it('counts null as missing, so it clears the field', async () => {
    const t = await setup();
    await expectSaved(
      t,
      t.params({ awayFrom: '2023-08-14', awayUntil: '2023-08-25', substitution: t.substitute.email }),
      'json',
    );
    await expectSaved(t, t.params({ awayFrom: null, awayUntil: '2023-08-30', substitution: null }), 'json');
    expect(await absenceOf(t, t.account.email)).toEqual({
      awayFrom: null,
      awayUntil: '2023-08-30',
      substitution: null,
      substitutionChannel: null,
    });
  });

  it.each([
    ['awayFrom', 20230814],
    ['awayUntil', true],
    ['substitution', ['bob.sub@example.com']],
    ['substitutionChannel', { id: 'X' }],
    ['accountEmail', 42],
  ])('rejects a non-string %s', async (name, value) => {
    const t = await setup();
    await expectRejected(t, t.params({ [name]: value }), 'json', 400, `The parameter ${name} must be a string.`);
  });

  it('rejects a body that is not an object, changing nothing', async () => {
    const t = await setup();
    const before = await snapshot(t.store);
    const response = await t.app.inject({
      method: 'POST',
      url: PATH,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify([t.params({ awayFrom: '2023-08-14' })]),
    });
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 400,
      body: errorBody('The request body must be a JSON object.'),
    });
    expect(await snapshot(t.store)).toEqual(before);
  });
});

describe('out-of-office parameters given twice', () => {
  it('rejects a repeated awayFrom in the query string, changing nothing', async () => {
    const t = await setup();
    const before = await snapshot(t.store);
    const query = new URLSearchParams({
      accountEmail: t.account.email,
      companyId: t.company.companyId,
      key: t.company.token(),
    });
    query.append('awayFrom', '2023-08-14');
    query.append('awayFrom', '2023-08-15');
    const response = await t.app.inject({ method: 'GET', url: `${PATH}?${query.toString()}` });
    expect({ status: response.statusCode, body: response.json() }).toEqual({
      status: 400,
      body: errorBody('The parameter awayFrom must be given only once.'),
    });
    expect(await snapshot(t.store)).toEqual(before);
  });
});
