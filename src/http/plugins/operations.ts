import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { fail } from '../../domain/errors.js';
import { ErrorSchema } from '../schemas/common.js';
import { MetricsAnswer, StatusAnswer } from '../schemas/operations.js';

export const HEALTH_PATH = '/healthz';
export const READY_PATH = '/readyz';
export const METRICS_PATH = '/metrics';

const BEARER = /^bearer\s+(\S+)$/i;
const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** With a metrics token, `/metrics` needs `Authorization: Bearer <token>`, compared in constant time. */
function checkMetricsToken(app: FastifyInstance, header: string | undefined): void {
  const expected = app.config.metricsToken;
  if (!expected) return;
  const presented = BEARER.exec(header?.trim() ?? '')?.[1] ?? '';
  if (!timingSafeEqual(sha256(presented), sha256(expected))) fail('METRICS_AUTHENTICATION_REQUIRED');
}

/**
 * The endpoints of the operator and the load balancer: `/healthz` (the process answers; exempt
 * from load shedding), `/readyz` (the database answers `select 1`: 200, else the contract's 503)
 * and `/metrics` (Prometheus text, optionally behind a token; exempt from load shedding).
 * Registered after the errors plugin, so that their errors have the contract's shape.
 */
export const operationsPlugin = fp(
  async (app) => {
    const errors = { '4xx': ErrorSchema, '5xx': ErrorSchema };
    app.get(
      HEALTH_PATH,
      {
        schema: { summary: 'The process is up', response: { 200: StatusAnswer } },
        config: { shedWhenOverloaded: false },
      },
      async () => ({ status: 'ok' }) as const,
    );

    app.get(
      READY_PATH,
      {
        schema: {
          summary: 'The database answers (503 when it does not, or while the process sheds load)',
          response: { 200: StatusAnswer, ...errors },
        },
      },
      async () => {
        try {
          await sql`select 1`.execute(app.store.db);
        } catch (error) {
          app.log.warn({ err: error }, 'readiness check: the database does not answer');
          fail('DATABASE_UNAVAILABLE');
        }
        return { status: 'ok' } as const;
      },
    );

    app.get(
      METRICS_PATH,
      {
        schema: {
          summary: 'Metrics in Prometheus text format',
          description: 'With `SWITCHBOARD_METRICS_TOKEN` set, send it as `Authorization: Bearer <token>`.',
          response: { 200: MetricsAnswer, ...errors },
        },
        config: { shedWhenOverloaded: false },
      },
      async (request, reply) => {
        checkMetricsToken(app, request.headers.authorization);
        return reply.type('text/plain; version=0.0.4; charset=utf-8').send(app.metrics.render());
      },
    );
  },
  {
    name: 'switchboard-operations',
    dependencies: ['switchboard-context', 'switchboard-errors', 'switchboard-metrics', 'switchboard-overload'],
    fastify: '5.x',
  },
);
