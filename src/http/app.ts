import formBody from '@fastify/formbody';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Store } from '../store/store.js';
import { type AppConfig, defaultConfig } from './config.js';
import { loggerOptions } from './logging.js';
import { authPlugin } from './plugins/auth.js';
import { browserRulesPlugin } from './plugins/browser-rules.js';
import { type Clock, contextPlugin } from './plugins/context.js';
import { errorsPlugin } from './plugins/errors.js';
import { metricsPlugin } from './plugins/metrics.js';
import { openapiPlugin } from './plugins/openapi.js';
import { operationsPlugin } from './plugins/operations.js';
import { overloadPlugin } from './plugins/overload.js';
import { rateLimitPlugin } from './plugins/rate-limit.js';
import { routes } from './routes/index.js';

export interface AppOptions {
  store: Store;
  config?: Partial<AppConfig>;
  clock?: Clock;
}

/** Body limit of the contract (CONTRACT.md 1). */
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Builds the HTTP service on a store. Only `switchboard serve` listens; tests, benchmarks and the
 * demo build the same app.
 */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const config = { ...defaultConfig, ...options.config };
  const app = Fastify({
    logger: loggerOptions(config),
    logController: new LogController({ disableRequestLogging: !config.logRequests }),
    bodyLimit: MAX_BODY_BYTES,
    // Room for an over-long query string to reach the 413 check instead of Node's bare 431.
    http: { maxHeaderSize: 64 * 1024 },
    // Behind a proxy, the client address of the per-address rate limits comes from X-Forwarded-For.
    trustProxy: config.trustProxy,
  });
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  // Only form and JSON bodies are accepted; Fastify's default text/plain parser would take any text.
  app.removeContentTypeParser('text/plain');

  await app.register(openapiPlugin);
  await app.register(contextPlugin, { store: options.store, config, clock: options.clock ?? (() => new Date()) });
  // Hardening: metrics before the routes they count; security headers, then load shedding, as the first hooks.
  await app.register(metricsPlugin);
  await app.register(browserRulesPlugin);
  await app.register(overloadPlugin);
  await app.register(errorsPlugin);
  await app.register(formBody, { bodyLimit: MAX_BODY_BYTES });
  await app.register(authPlugin);
  await app.register(rateLimitPlugin);
  await app.register(operationsPlugin);
  await app.register(routes);
  return app;
}
