import fp from 'fastify-plugin';
import type { Store } from '../../store/store.js';
import type { AppConfig } from '../config.js';

/** The clock every handler reads; tests pass a fixed one. */
export type Clock = () => Date;

declare module 'fastify' {
  interface FastifyInstance {
    store: Store;
    clock: Clock;
    config: AppConfig;
  }
}

export const contextPlugin = fp<{ store: Store; clock: Clock; config: AppConfig }>(
  async (app, options) => {
    app.decorate('store', options.store);
    app.decorate('clock', options.clock);
    app.decorate('config', options.config);
  },
  { name: 'switchboard-context', fastify: '5.x' },
);
