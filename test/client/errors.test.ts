import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import {
  type Endpoint,
  SwitchboardApiError,
  SwitchboardClient,
  type SwitchboardClientOptions,
  SwitchboardNetworkError,
} from '../../src/client/index.js';
import { NOON } from '../helper.js';
import { type World, world } from './world.js';

const M = {
  emailMissing: 'The parameter email must be filled.',
  talkToMeIdMissing: 'The parameter talkToMeId must be filled.',
  emailMalformed: 'The parameter email must be a valid email address.',
  awayFromMalformed: 'The parameter awayFrom must be a date in the format YYYY-MM-DD.',
  reversed: 'The parameter awayFrom must not be after awayUntil.',
  substituteSelf: 'The parameter substitution must name another account than accountEmail.',
  channelUnknown: 'The parameter substitutionChannel must be the identifier of a channel of your company.',
  authRequired: 'Authentication required: send the access key as parameter key or in the Authorization header.',
  authInvalid: 'Invalid authentication.',
  otherCompany: 'The account given as accountEmail does not belong to your company.',
  locked: 'The account given as accountEmail is locked.',
  talkToMeIdNotFound: 'No account was found for the parameter talkToMeId.',
  emailNotFound: 'No account was found for the parameter email.',
  pathNotFound: 'Resource not found.',
  methodNotAllowed: 'Method not allowed: use GET, HEAD or POST.',
  tooLarge: 'Request too large.',
  unsupported: 'Unsupported content type: send application/x-www-form-urlencoded or application/json.',
  unexpected: 'Unexpected server-side error.',
} as const;

/** Asserts the call fails with a SwitchboardApiError of exactly this endpoint, status and message. */
async function expectApiError(call: Promise<unknown>, endpoint: Endpoint, status: number, message: string) {
  const error = await call.then(
    () => expect.fail(`${endpoint} succeeded, expected ${status}`),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(SwitchboardApiError);
  expect(error).toMatchObject({ name: 'SwitchboardApiError', endpoint, status, message });
  expect((error as SwitchboardApiError).body).toEqual({ success: false, error: true, message });
  return error as SwitchboardApiError;
}

/** Every way to show an error, for checking that no secret is in any of them. */
function shown(error: unknown): string {
  return [String(error), (error as Error).stack, inspect(error, { depth: 5 }), JSON.stringify(error)].join('\n');
}

/** A client whose fetch rewrites each request before the real fetch sends it. */
function rewritingClient(w: World, rewrite: (init: RequestInit) => RequestInit) {
  const { companyId, apiKey } = w.company;
  const fetch = (input: string | URL | Request, init: RequestInit = {}) => globalThis.fetch(input, rewrite(init));
  return new SwitchboardClient({ baseUrl: w.baseUrl, companyId, apiKey, now: () => NOON, fetch });
}

function clientOf(w: World, extra: Partial<SwitchboardClientOptions> = {}) {
  const { companyId, apiKey } = w.company;
  return new SwitchboardClient({
    baseUrl: w.baseUrl,
    companyId,
    apiKey,
    now: () => NOON,
    ...extra,
  } as SwitchboardClientOptions);
}

describe('error answers become SwitchboardApiError with the exact status and message', () => {
  test('400: missing and malformed parameters, absence rules', async () => {
    const w = await world();
    const client = clientOf(w);
    await expectApiError(client.isAccount(''), 'is-account', 400, M.emailMissing);
    await expectApiError(client.isAccount('not-an-email'), 'is-account', 400, M.emailMalformed);
    await expectApiError(client.personInfo({ talkToMeId: ' ' }), 'person-info', 400, M.talkToMeIdMissing);
    const anna = w.anna.email;
    await expectApiError(
      client.setOutOfOffice({ accountEmail: anna, awayFrom: '10.08.2023' }),
      'out-of-office',
      400,
      M.awayFromMalformed,
    );
    await expectApiError(
      client.setOutOfOffice({ accountEmail: anna, awayFrom: '2023-08-12', awayUntil: '2023-08-11' }),
      'out-of-office',
      400,
      M.reversed,
    );
    await expectApiError(
      client.setOutOfOffice({ accountEmail: anna, substitution: anna }),
      'out-of-office',
      400,
      M.substituteSelf,
    );
    await expectApiError(
      client.setOutOfOffice({ accountEmail: anna, substitutionChannel: 'ZZZZZZZZZZZZZZZZZZZZZZZZZ9' }),
      'out-of-office',
      400,
      M.channelUnknown,
    );
  });

  test('401: no token sent', async () => {
    const w = await world();
    const client = rewritingClient(w, (init) => {
      const headers = new Headers(init.headers);
      headers.delete('authorization');
      return { ...init, headers };
    });
    await expectApiError(client.isAccount(w.anna.email), 'is-account', 401, M.authRequired);
  });

  test('403: wrong key, unknown company, another company’s or a locked account', async () => {
    const w = await world();
    await expectApiError(clientOf(w, { apiKey: 'wrong' }).isAccount(w.anna.email), 'is-account', 403, M.authInvalid);
    await expectApiError(
      clientOf(w, { companyId: w.other.companyId }).setDoNotDisturb(w.anna.email),
      'do-not-disturb',
      403,
      M.authInvalid,
    );
    await expectApiError(
      clientOf(w, { apiKey: 'wrong' }).personInfo({ talkToMeId: w.anna.talkToMeId, withCredentials: true }),
      'person-info',
      403,
      M.authInvalid,
    );
    const client = clientOf(w);
    await expectApiError(client.setDoNotDisturb(w.foreign.email), 'do-not-disturb', 403, M.otherCompany);
    await expectApiError(client.setOutOfOffice({ accountEmail: w.locked.email }), 'out-of-office', 403, M.locked);
  });

  test('404: unknown talk-to-me id or email, unknown path', async () => {
    const w = await world();
    const client = clientOf(w);
    const unknownId = 'ZZZZZZZZZZZZZZZZZZZZZZZZZ9';
    await expectApiError(client.personInfo({ talkToMeId: unknownId }), 'person-info', 404, M.talkToMeIdNotFound);
    await expectApiError(
      client.personInfo({ talkToMeId: w.locked.talkToMeId }),
      'person-info',
      404,
      M.talkToMeIdNotFound,
    );
    await expectApiError(client.personInfo({ email: w.foreign.email }), 'person-info', 404, M.emailNotFound);
    const prefixed = clientOf(w, { baseUrl: `${w.baseUrl}/not-here/` });
    await expectApiError(prefixed.isAccount(w.anna.email), 'is-account', 404, M.pathNotFound);
  });

  test('405, 413 and 415', async () => {
    const w = await world();
    const put = rewritingClient(w, (init) => ({ ...init, method: 'PUT' }));
    await expectApiError(put.isAccount(w.anna.email), 'is-account', 405, M.methodNotAllowed);
    const client = clientOf(w);
    const huge = { accountEmail: w.anna.email, substitution: 'x'.repeat(70 * 1024) };
    await expectApiError(client.setOutOfOffice(huge), 'out-of-office', 413, M.tooLarge);
    const text = rewritingClient(w, (init) => ({
      ...init,
      headers: { ...init.headers, 'content-type': 'text/plain' },
    }));
    await expectApiError(text.setDoNotDisturb(w.anna.email), 'do-not-disturb', 415, M.unsupported);
  });

  test('500: an unexpected failure of the server', async () => {
    const w = await world();
    await w.store.db.schema.dropTable('audit').execute();
    await expectApiError(clientOf(w).setDoNotDisturb(w.anna.email), 'do-not-disturb', 500, M.unexpected);
  });

  test('an answer that is not Switchboard’s JSON is an API error without a body', async () => {
    const fetch = async () => new Response('<html>Bad gateway</html>', { status: 502 });
    const client = new SwitchboardClient({ baseUrl: 'http://switchboard.test', companyId: 'C', apiKey: 'k', fetch });
    const error = await client.isAccount('a@b.example').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SwitchboardApiError);
    expect(error).toMatchObject({ endpoint: 'is-account', status: 502, body: undefined });
  });

  test('no error shows the API key', async () => {
    const w = await world();
    const { apiKey } = w.company;
    const errors = await Promise.all([
      clientOf(w, { apiKey: `${apiKey}x` })
        .isAccount(w.anna.email)
        .catch((error: unknown) => error),
      clientOf(w)
        .setDoNotDisturb(w.foreign.email)
        .catch((error: unknown) => error),
      clientOf(w)
        .isAccount('')
        .catch((error: unknown) => error),
      clientOf(w, { baseUrl: 'http://127.0.0.1:9' })
        .isAccount(w.anna.email)
        .catch((error: unknown) => error),
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(Error);
      expect(shown(error)).not.toContain(apiKey);
    }
  });
});

describe('no answer is a SwitchboardNetworkError', () => {
  test('connection refused', async () => {
    const w = await world();
    const port = (w.app.server.address() as AddressInfo).port;
    await w.app.close();
    const client = clientOf(w, { baseUrl: `http://127.0.0.1:${port}` });
    const error = await client.isAccount(w.anna.email).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SwitchboardNetworkError);
    expect(error).not.toBeInstanceOf(SwitchboardApiError);
    expect(error).toMatchObject({ name: 'SwitchboardNetworkError', endpoint: 'is-account', timedOut: false });
    expect((error as Error).message).toBe(
      `is-account: request to http://127.0.0.1:${port}/api/is-account failed: ECONNREFUSED`,
    );
  });

  test('a server that does not answer in time; a caller’s abort is thrown as it is', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening));
    const baseUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const client = new SwitchboardClient({ baseUrl, companyId: 'C', apiKey: 'k', timeoutMs: 100 });
      const error = await client.setDoNotDisturb('a@b.example').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SwitchboardNetworkError);
      expect(error).toMatchObject({
        timedOut: true,
        message: `do-not-disturb: no answer from ${baseUrl}/api/do-not-disturb within 100 ms.`,
      });
      const patient = new SwitchboardClient({ baseUrl, companyId: 'C', apiKey: 'k', timeoutMs: 0 });
      const controller = new AbortController();
      const call = patient.isAccount('a@b.example', { signal: controller.signal });
      const reason = new Error('stop');
      setTimeout(() => controller.abort(reason), 50);
      await expect(call).rejects.toBe(reason);
    } finally {
      silent.closeAllConnections();
      await new Promise((closed) => silent.close(closed));
    }
  });

  test('a failing token provider fails the call with its own error, before any request', async () => {
    let requests = 0;
    const fetch = async () => {
      requests++;
      return Response.json({});
    };
    const failure = new Error('vault is sealed');
    const client = new SwitchboardClient({
      baseUrl: 'http://switchboard.test',
      companyId: 'C',
      token: () => Promise.reject(failure),
      fetch,
    });
    await expect(client.isAccount('a@b.example')).rejects.toBe(failure);
    const empty = new SwitchboardClient({ baseUrl: 'http://switchboard.test', companyId: 'C', token: () => '', fetch });
    await expect(empty.isAccount('a@b.example')).rejects.toThrow(TypeError);
    expect(requests).toBe(0);
  });
});
