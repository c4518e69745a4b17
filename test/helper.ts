import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { buildApp } from '../src/http/app.js';
import type { AppConfig } from '../src/http/config.js';
import { openStore, type Store } from '../src/store/store.js';

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

/** The app on a fresh in-memory store with a controllable clock, closed after the test. */
export async function buildTestApp(config: Partial<AppConfig> = {}, now: Date = NOON): Promise<TestApp> {
  const store = await openStore(':memory:');
  let current = now;
  const app = await buildApp({ store, config: { logLevel: false, ...config }, clock: () => current });
  const test = { app, store, setNow: (next: Date) => (current = next) };
  open.push(test);
  return test;
}
