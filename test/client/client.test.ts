import { inspect } from 'node:util';
import { describe, expect, expectTypeOf, test } from 'vitest';
import {
  accessToken,
  type IsAccountAnswer,
  type PersonInfoAnswer,
  type SavedAnswer,
  SwitchboardClient,
  utcDay,
} from '../../src/client/index.js';
import { getAccount } from '../../src/service/accounts.js';
import { NOON } from '../helper.js';
import { type World, world } from './world.js';

const VECTOR = {
  apiKey: 'test-api-key',
  companyId: 'JSOM3ACS72QAJ2I1IM1D5VNFGR',
  day: 19387,
  sha256: 'a3b475e78a654efc8ae3760383b7273c79db7af63b50036ef4b9cfe6ccdc5d27',
  md5: '935a5ecf17e770e3d97d4d265f1d44b6',
};
const SAVED = { success: true, error: false, message: 'The changes have been saved' };

function clientOf(w: World) {
  const { companyId, apiKey, hash } = w.company;
  return new SwitchboardClient({ baseUrl: w.baseUrl, companyId, apiKey, hash, now: () => NOON });
}

interface Sent {
  url: string;
  method: string;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A fetch that records every request and answers `answer` without any server. */
function recordingFetch(answer: object = SAVED) {
  const sent: Sent[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const request = new Request(input, init);
    sent.push({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: (await request.json()) as Record<string, unknown>,
    });
    return Response.json(answer);
  };
  return { sent, fetch };
}

describe('the daily access token', () => {
  test.each([
    ['sha256', VECTOR.sha256],
    ['md5', VECTOR.md5],
  ] as const)('matches the contract vector with %s, at any moment of the day', (hash, expected) => {
    for (const ms of [0, 12 * 3_600_000, 86_399_999]) {
      const now = VECTOR.day * 86_400_000 + ms;
      expect(utcDay(now)).toBe(VECTOR.day);
      expect(accessToken(VECTOR.apiKey, VECTOR.companyId, hash, now)).toBe(expected);
      expect(accessToken(VECTOR.apiKey, VECTOR.companyId, hash, new Date(now))).toBe(expected);
    }
  });

  test.each([
    ['sha256', VECTOR.sha256],
    ['md5', VECTOR.md5],
  ] as const)('is what the client sends, as Bearer, with %s', async (hash, expected) => {
    const { sent, fetch } = recordingFetch({ success: true, error: false, exists: false });
    const now = () => new Date(VECTOR.day * 86_400_000 + 1_000);
    const client = new SwitchboardClient({ baseUrl: 'http://switchboard.test', ...VECTOR, hash, now, fetch });
    await client.isAccount('a@b.example');
    expect(sent[0]?.headers.get('authorization')).toBe(`Bearer ${expected}`);
  });

  test('is sha256 by default and follows the clock', async () => {
    const { sent, fetch } = recordingFetch({ success: true, error: false, exists: false });
    let now = new Date(VECTOR.day * 86_400_000);
    const client = new SwitchboardClient({ baseUrl: 'http://switchboard.test', ...VECTOR, now: () => now, fetch });
    await client.isAccount('a@b.example');
    now = new Date((VECTOR.day + 1) * 86_400_000);
    await client.isAccount('a@b.example');
    const tokens = sent.map((request) => request.headers.get('authorization'));
    expect(tokens).toEqual([
      `Bearer ${VECTOR.sha256}`,
      `Bearer ${accessToken(VECTOR.apiKey, VECTOR.companyId, 'sha256', now)}`,
    ]);
  });
});

describe('requests', () => {
  test('are POSTs of JSON to <baseUrl>/api/<endpoint>, keeping a path prefix, without the key', async () => {
    const { sent, fetch } = recordingFetch();
    const client = new SwitchboardClient({ baseUrl: 'https://host.test/switchboard', ...VECTOR, fetch });
    await client.setOutOfOffice({ accountEmail: 'a@b.example', awayFrom: '2023-08-01' });
    await client.setDoNotDisturb('a@b.example');
    await client.setDoNotDisturb('a@b.example', false);
    expect(sent.map(({ url, method, body }) => ({ url, method, body }))).toEqual([
      {
        url: 'https://host.test/switchboard/api/out-of-office',
        method: 'POST',
        body: { companyId: VECTOR.companyId, accountEmail: 'a@b.example', awayFrom: '2023-08-01' },
      },
      {
        url: 'https://host.test/switchboard/api/do-not-disturb',
        method: 'POST',
        body: { companyId: VECTOR.companyId, accountEmail: 'a@b.example', dnd: true },
      },
      {
        url: 'https://host.test/switchboard/api/do-not-disturb',
        method: 'POST',
        body: { companyId: VECTOR.companyId, accountEmail: 'a@b.example', dnd: false },
      },
    ]);
    expect(sent[0]?.headers.get('content-type')).toBe('application/json');
    expect(JSON.stringify(sent)).not.toContain(VECTOR.apiKey);
  });

  test('a public person-info lookup sends no credentials unless asked', async () => {
    const { sent, fetch } = recordingFetch();
    const client = new SwitchboardClient({ baseUrl: 'http://switchboard.test', ...VECTOR, fetch });
    await client.personInfo({ talkToMeId: 'QAT88PF4NQUB50SOHFLIPQL9RT' });
    await client.personInfo({ talkToMeId: 'QAT88PF4NQUB50SOHFLIPQL9RT', withCredentials: true });
    await client.personInfo({ email: 'a@b.example' });
    expect(sent.map(({ body, headers }) => [body, headers.has('authorization')])).toEqual([
      [{ talkToMeId: 'QAT88PF4NQUB50SOHFLIPQL9RT' }, false],
      [{ companyId: VECTOR.companyId, talkToMeId: 'QAT88PF4NQUB50SOHFLIPQL9RT' }, true],
      [{ companyId: VECTOR.companyId, email: 'a@b.example' }, true],
    ]);
  });

  test('the client shows neither the key nor the token provider', () => {
    const client = new SwitchboardClient({ baseUrl: 'http://switchboard.test', ...VECTOR });
    expect(inspect(client, { depth: 5, showHidden: true })).not.toContain(VECTOR.apiKey);
    expect(JSON.stringify(client)).not.toContain(VECTOR.apiKey);
  });
});

describe('against a running server', () => {
  test('isAccount: own verified account, another company’s, none', async () => {
    const w = await world();
    const client = clientOf(w);
    const own = await client.isAccount(w.anna.email);
    expectTypeOf(own).toEqualTypeOf<IsAccountAnswer>();
    expectTypeOf(own.verified).toEqualTypeOf<boolean | undefined>();
    expect(own).toEqual({ success: true, error: false, exists: true, verified: true });
    expect(await client.isAccount(' BEN@home.example ')).toEqual({
      success: true,
      error: false,
      exists: true,
      verified: false,
    });
    expect(await client.isAccount(w.foreign.email)).toEqual({ success: true, error: false, exists: true });
    expect(await client.isAccount('nobody@home.example')).toEqual({ success: true, error: false, exists: false });
  });

  test('personInfo: public by talk-to-me id, with credentials, and by email', async () => {
    const w = await world();
    const client = clientOf(w);
    const expected: PersonInfoAnswer = {
      success: true,
      error: false,
      name: 'Anna Home',
      talkToMe: w.anna.talkToMeId,
      avatar: null,
      email: '',
      phone: null,
      mobile: null,
      companyName: 'Home Ltd.',
      position: 'Sales',
      available: true,
      awayInfo: null,
      awayFrom: null,
      awayUntil: null,
      substitution: '',
      onlineState: 'OFFLINE',
    };
    const person = await client.personInfo({ talkToMeId: w.anna.talkToMeId });
    expectTypeOf(person).toEqualTypeOf<PersonInfoAnswer>();
    expectTypeOf(person.onlineState).toEqualTypeOf<'ONLINE' | 'AWAY' | 'OFFLINE'>();
    expectTypeOf(person.awayFrom).toEqualTypeOf<string | null>();
    expect(person).toEqual(expected);
    expect(Object.keys(person)).toEqual(Object.keys(expected));
    const withEmail = { ...expected, email: w.anna.email };
    expect(await client.personInfo({ talkToMeId: w.anna.talkToMeId, withCredentials: true })).toEqual(withEmail);
    expect(await client.personInfo({ email: w.anna.email })).toEqual(withEmail);
    // Another company's account: public view only.
    const foreign = await client.personInfo({ talkToMeId: w.foreign.talkToMeId, withCredentials: true });
    expect(foreign).toMatchObject({ name: 'Olga', email: '', companyName: 'Other Inc.' });
  });

  test('setOutOfOffice sets and clears an absence with a substitute or a channel', async () => {
    const w = await world();
    const client = clientOf(w);
    const saved = await client.setOutOfOffice({
      accountEmail: w.anna.email,
      awayFrom: '2023-08-09',
      awayUntil: '2023-08-11',
      substitution: w.ben.email,
    });
    expectTypeOf(saved).toEqualTypeOf<SavedAnswer>();
    expect(saved).toEqual(SAVED);
    expect(await client.personInfo({ email: w.anna.email })).toMatchObject({
      available: false,
      awayInfo: 'Away until 08/11/2023.',
      awayFrom: '2023-08-09',
      awayUntil: '2023-08-11',
      substitution: 'Ben Home',
    });
    await client.setOutOfOffice({
      accountEmail: w.anna.email,
      awayFrom: '2023-09-01',
      substitutionChannel: w.channelId,
    });
    expect(await getAccount(w.store.db, w.anna.email)).toMatchObject({
      awayFrom: '2023-09-01',
      awayUntil: null,
      substitution: null,
      substitutionChannel: w.channelId,
    });
    expect(await client.setOutOfOffice({ accountEmail: w.anna.email })).toEqual(SAVED);
    expect(await getAccount(w.store.db, w.anna.email)).toMatchObject({
      awayFrom: null,
      awayUntil: null,
      substitutionChannel: null,
    });
  });

  test('setDoNotDisturb sets (by default) and clears do-not-disturb', async () => {
    const w = await world();
    const client = clientOf(w);
    const saved = await client.setDoNotDisturb(w.anna.email);
    expectTypeOf(saved).toEqualTypeOf<SavedAnswer>();
    expect(saved).toEqual(SAVED);
    expect((await getAccount(w.store.db, w.anna.email)).dnd).toBe(true);
    expect(await client.setDoNotDisturb(w.anna.email, false)).toEqual(SAVED);
    expect((await getAccount(w.store.db, w.anna.email)).dnd).toBe(false);
  });

  test('an MD5 company is served with hash md5', async () => {
    const w = await world({ hash: 'md5' });
    expect(w.company.hash).toBe('md5');
    const client = clientOf(w);
    expect(await client.isAccount(w.anna.email)).toEqual({ success: true, error: false, exists: true, verified: true });
    expect(await client.setDoNotDisturb(w.anna.email)).toEqual(SAVED);
    expect(await client.personInfo({ email: w.anna.email })).toMatchObject({ email: w.anna.email });
    // The same key hashed with SHA-256 is refused.
    const { companyId, apiKey } = w.company;
    const sha = new SwitchboardClient({ baseUrl: w.baseUrl, companyId, apiKey, hash: 'sha256', now: () => NOON });
    await expect(sha.isAccount(w.anna.email)).rejects.toMatchObject({ status: 403 });
  });

  test('a token provider, sync or async, is asked before every authenticated call', async () => {
    const w = await world();
    let calls = 0;
    const token = () => {
      calls++;
      return w.company.token();
    };
    const sync = new SwitchboardClient({ baseUrl: w.baseUrl, companyId: w.company.companyId, token });
    expect(await sync.isAccount(w.anna.email)).toMatchObject({ verified: true });
    expect(await sync.setDoNotDisturb(w.anna.email)).toEqual(SAVED);
    await sync.personInfo({ talkToMeId: w.anna.talkToMeId });
    expect(calls).toBe(2);
    const asynchronous = new SwitchboardClient({
      baseUrl: w.baseUrl,
      companyId: w.company.companyId,
      token: async () => w.company.token(NOON, -1),
    });
    expect(await asynchronous.personInfo({ email: w.anna.email })).toMatchObject({ email: w.anna.email });
    const stale = new SwitchboardClient({
      baseUrl: w.baseUrl,
      companyId: w.company.companyId,
      token: () => w.company.token(NOON, -2),
    });
    await expect(stale.isAccount(w.anna.email)).rejects.toMatchObject({ status: 403 });
  });
});
