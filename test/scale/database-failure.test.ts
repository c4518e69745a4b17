import { afterEach, describe, expect, test } from 'vitest';
import { buildApp } from '../../src/http/app.js';
import { openStore, type Store } from '../../src/store/store.js';
import { freshPostgresLocation, TEST_DIALECT } from '../databases.js';
import { makeAccount, makeCompany } from '../factories.js';
import { NOON } from '../helper.js';
import { TcpProxy } from '../tcp-proxy.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(TEST_DIALECT !== 'postgres')('when PostgreSQL goes away', () => {
  test('requests fail fast with 503 and JSON, and the service recovers when it returns', async () => {
    const direct = new URL(freshPostgresLocation());
    const proxy = new TcpProxy(direct.hostname, Number(direct.port || 5432));
    await proxy.start();
    cleanups.push(() => proxy.cut());
    const viaProxy = new URL(direct);
    viaProxy.port = String(proxy.port);

    const store: Store = await openStore(viaProxy.toString(), { poolSize: 2 });
    const app = await buildApp({ store, config: { logLevel: false }, clock: () => NOON });
    cleanups.push(async () => {
      await app.close();
      await store.close();
    });
    const company = await makeCompany(store);
    const account = await makeAccount(store, { companyId: company.companyId });
    const read = () => app.inject({ url: `/api/person-info?talkToMeId=${account.talkToMeId}` });
    expect((await read()).statusCode).toBe(200);

    await proxy.cut();
    for (let attempt = 0; attempt < 3; attempt++) {
      const started = performance.now();
      const response = await read();
      expect(performance.now() - started).toBeLessThan(4_000);
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('2');
      expect(response.json()).toEqual({
        success: false,
        error: true,
        message: 'Service unavailable: the database cannot be reached. Try again shortly.',
      });
    }
    const write = await app.inject({
      method: 'POST',
      url: '/api/do-not-disturb',
      payload: { companyId: company.companyId, accountEmail: account.email, key: company.token() },
    });
    expect(write.statusCode).toBe(503);

    await proxy.start();
    expect((await read()).statusCode).toBe(200);
  });
});
