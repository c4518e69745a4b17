import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { buildApp } from '../src/http/app.js';
import type { AppConfig } from '../src/http/config.js';
import type { Keyring } from '../src/store/keyring.js';
import { openStore, type Store } from '../src/store/store.js';
import { freshPostgresLocation, openTestStore, TEST_DIALECT } from './databases.js';

/** A moment of a fixed day: 2023-08-10T12:00:00Z, UTC day 19579. */
export const NOON = new Date('2023-08-10T12:00:00Z');

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  /** Moves the app's clock. */
  setNow(now: Date): void;
}

const open: TestApp[] = [];

afterEach(async () => {
  for (const test of open.splice(0)) {
    await test.app.close();
    await test.store.close();
  }
});

export interface TestAppOptions {
  /** The keyring of the fresh store, e.g. one that encrypts API keys under a master key. */
  keyring?: Keyring;
}

/**
 * The production defaults but one: load shedding starts at a 2 s lag instead of 200 ms. A test
 * worker shares the CPU with the other workers, and lags past 100 ms happen there while idle; a
 * spurious 503 would fail a test that has nothing to do with overload (test/hardening/overload.test.ts
 * sets its own threshold).
 */
const TEST_CONFIG: Partial<AppConfig> = { overloadDelayMs: 2_000 };

/** The app on a fresh in-memory store with a controllable clock, closed after the test. */
export async function buildTestApp(
  config: Partial<AppConfig> = {},
  now: Date = NOON,
  options: TestAppOptions = {},
): Promise<TestApp> {
  const store = options.keyring
    ? await openStore(TEST_DIALECT === 'sqlite' ? ':memory:' : freshPostgresLocation(), { keyring: options.keyring })
    : await openTestStore();
  let current = now;
  const app = await buildApp({ store, config: { logLevel: false, ...TEST_CONFIG, ...config }, clock: () => current });
  const test = { app, store, setNow: (next: Date) => (current = next) };
  open.push(test);
  return test;
}

/** Everything a request could change: compare before and after to prove that a rejection changed nothing. */
export async function snapshot(store: Store) {
  const [companies, accounts, channels, members, audit] = await Promise.all([
    store.db.selectFrom('companies').selectAll().orderBy('id').execute(),
    store.db.selectFrom('accounts').selectAll().orderBy('id').execute(),
    store.db.selectFrom('channels').selectAll().orderBy('id').execute(),
    store.db.selectFrom('channel_members').selectAll().orderBy('channel_id').orderBy('account_id').execute(),
    store.db.selectFrom('audit').selectAll().orderBy('id').execute(),
  ]);
  return { companies, accounts, channels, members, audit };
}

export type Transport = 'query' | 'form' | 'json';

/**
 * Calls an endpoint with the parameters sent as query string (GET), form body or JSON body (POST).
 * Returns the status, headers and parsed JSON body.
 */
export async function call(
  app: FastifyInstance,
  path: string,
  params: Record<string, unknown>,
  options: { transport?: Transport; headers?: Record<string, string> } = {},
) {
  const transport = options.transport ?? 'query';
  const strings = Object.fromEntries(Object.entries(params).map(([name, value]) => [name, String(value)]));
  const response =
    transport === 'query'
      ? await app.inject({ method: 'GET', url: path, query: strings, headers: options.headers })
      : await app.inject({
          method: 'POST',
          url: path,
          headers: {
            'content-type': transport === 'json' ? 'application/json' : 'application/x-www-form-urlencoded',
            ...options.headers,
          },
          payload: transport === 'json' ? JSON.stringify(params) : new URLSearchParams(strings).toString(),
        });
  return { status: response.statusCode, headers: response.headers, body: response.json(), raw: response.body };
}
