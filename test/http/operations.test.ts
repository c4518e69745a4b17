/**
 * The operator's endpoints (README, "Operations"): `/healthz`, `/readyz` and `/metrics` in
 * Prometheus' text format.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../src/domain/errors.js';
import { buildApp } from '../../src/http/app.js';
import { configFromEnv } from '../../src/http/config.js';
import { openTestStore } from '../databases.js';
import { makeAccount, makeCompany } from '../factories.js';
import { buildTestApp, NOON } from '../helper.js';

const TEXT_FORMAT = 'text/plain; version=0.0.4; charset=utf-8';

async function metricsOf(app: FastifyInstance, headers: Record<string, string> = {}): Promise<string> {
  const response = await app.inject({ method: 'GET', url: '/metrics', headers });
  expect(response.statusCode).toBe(200);
  expect(response.headers['content-type']).toBe(TEXT_FORMAT);
  return response.body;
}

/** The value of one sample line (`name{labels} value`), or undefined when the line is missing. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/healthz and /readyz', () => {
  it('answer 200 {"status":"ok"} (GET and HEAD), not the not-found handler', async () => {
    const { app } = await buildTestApp();
    for (const url of ['/healthz', '/readyz']) {
      const response = await app.inject({ method: 'GET', url });
      expect({ status: response.statusCode, body: response.json() }).toEqual({ status: 200, body: { status: 'ok' } });
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect((await app.inject({ method: 'HEAD', url })).statusCode).toBe(200);
    }
  });

  it('/readyz answers 503 with Retry-After when the database does not answer; /healthz stays 200', async () => {
    const store = await openTestStore();
    const app = await buildApp({ store, config: { logLevel: false }, clock: () => NOON });
    try {
      await store.close();
      const ready = await app.inject({ method: 'GET', url: '/readyz' });
      expect({ status: ready.statusCode, body: ready.json() }).toEqual({
        status: 503,
        body: {
          success: false,
          error: true,
          message: 'Service unavailable: the database cannot be reached. Try again shortly.',
        },
      });
      expect(ready.headers['retry-after']).toBe('2');
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      expect(sample(await metricsOf(app), 'switchboard_database_errors_total{kind="unavailable"}')).toBe(1);
    } finally {
      await app.close();
    }
  });
});

describe('/metrics', () => {
  it('counts requests by route template and status, with a latency histogram per route', async () => {
    const { app, store } = await buildTestApp();
    const company = await makeCompany(store);
    const anna = await makeAccount(store, { companyId: company.companyId, email: 'anna@example.com' });
    const ben = await makeAccount(store, { companyId: company.companyId, email: 'ben@example.com' });
    for (const talkToMeId of [anna.talkToMeId, ben.talkToMeId, 'Q'.repeat(26)]) {
      await app.inject({ method: 'GET', url: '/api/person-info', query: { talkToMeId } });
    }
    await app.inject({ method: 'HEAD', url: '/api/person-info', query: { talkToMeId: anna.talkToMeId } });
    await app.inject({ method: 'GET', url: '/nowhere/at/all' });
    await app.inject({ method: 'GET', url: '/api/nothing' });
    const text = await metricsOf(app);

    expect(text).toContain('# TYPE switchboard_http_requests_total counter');
    // The route's template, never the raw URL with its parameters.
    expect(sample(text, 'switchboard_http_requests_total{route="/api/person-info",status="200"}')).toBe(3);
    expect(sample(text, 'switchboard_http_requests_total{route="/api/person-info",status="404"}')).toBe(1);
    expect(sample(text, 'switchboard_http_requests_total{route="unmatched",status="404"}')).toBe(2);
    expect(text).not.toContain(anna.talkToMeId);
    expect(text).not.toContain('/nowhere');

    expect(text).toContain('# TYPE switchboard_http_request_duration_seconds histogram');
    const bucket = (le: string) =>
      sample(text, `switchboard_http_request_duration_seconds_bucket{route="/api/person-info",le="${le}"}`);
    const les = ['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10'];
    const counts = [...les, '+Inf'].map(bucket);
    expect(counts.every((count) => count !== undefined)).toBe(true);
    expect(counts).toEqual([...counts].sort((a, b) => (a ?? 0) - (b ?? 0)));
    expect(bucket('+Inf')).toBe(4);
    expect(sample(text, 'switchboard_http_request_duration_seconds_count{route="/api/person-info"}')).toBe(4);
    expect(sample(text, 'switchboard_http_request_duration_seconds_sum{route="/api/person-info"}')).toBeGreaterThan(0);
    // Every sample line is `name{labels} number` or `name number`.
    for (const line of text
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? -?[0-9.e+-]+$/);
    }
  });

  it('counts failed authentications and rate-limit refusals', async () => {
    const { app, store } = await buildTestApp({ authFailureLimit: { max: 2, windowMs: 60_000 } });
    const company = await makeCompany(store);
    const query = { companyId: company.companyId, email: 'anna@example.com' };
    for (const key of ['wrong', 'wrong', company.token(), company.token()]) {
      await app.inject({ method: 'GET', url: '/api/is-account', query: { ...query, key } });
    }
    await app.inject({ method: 'GET', url: '/api/is-account', query });
    const text = await metricsOf(app);
    expect(sample(text, 'switchboard_authentication_failures_total')).toBe(2);
    expect(sample(text, 'switchboard_rate_limited_total{limit="auth_failures"}')).toBe(2);
    expect(sample(text, 'switchboard_http_requests_total{route="/api/is-account",status="429"}')).toBe(2);
    expect(sample(text, 'switchboard_http_requests_total{route="/api/is-account",status="401"}')).toBe(1);
  });

  it('counts database errors: unavailable (503) and failed (500)', async () => {
    const { app } = await buildTestApp();
    // Test-only routes, added before the app is ready, that fail the way the database does.
    app.get('/test-only/unavailable', async () => {
      throw new SwitchboardError('DATABASE_UNAVAILABLE');
    });
    app.get('/test-only/failed', async () => {
      throw Object.assign(new Error('disk image is malformed'), { code: 'SQLITE_CORRUPT' });
    });
    app.get('/test-only/bug', async () => {
      throw new TypeError('not a database error');
    });
    expect((await app.inject({ method: 'GET', url: '/test-only/unavailable' })).statusCode).toBe(503);
    expect((await app.inject({ method: 'GET', url: '/test-only/failed' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'GET', url: '/test-only/failed' })).statusCode).toBe(500);
    expect((await app.inject({ method: 'GET', url: '/test-only/bug' })).statusCode).toBe(500);
    const text = await metricsOf(app);
    expect(sample(text, 'switchboard_database_errors_total{kind="unavailable"}')).toBe(1);
    expect(sample(text, 'switchboard_database_errors_total{kind="failed"}')).toBe(2);
  });

  it('needs the token when SWITCHBOARD_METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-0123456789abcdef';
    expect(configFromEnv({ SWITCHBOARD_METRICS_TOKEN: token }).metricsToken).toBe(token);
    expect(() => configFromEnv({ SWITCHBOARD_METRICS_TOKEN: 'short' })).toThrow(/SWITCHBOARD_METRICS_TOKEN/);
    const { app } = await buildTestApp({ metricsToken: token });
    for (const authorization of [undefined, 'Bearer wrong', token, `Basic ${token}`]) {
      const response = await app.inject({
        method: 'GET',
        url: '/metrics',
        headers: authorization ? { authorization } : {},
      });
      expect({ status: response.statusCode, body: response.json() }).toEqual({
        status: 401,
        body: {
          success: false,
          error: true,
          message: 'Authentication required: send the metrics token as Authorization: Bearer <token>.',
        },
      });
    }
    expect(await metricsOf(app, { authorization: `Bearer ${token}` })).toContain('switchboard_http_requests_total');
  });
});
