import type { onResponseHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { SwitchboardError } from '../../domain/errors.js';
import { addRouteHook } from '../route-hooks.js';

/** A counter, split by one label or by none. */
export interface Counter {
  inc(label?: string): void;
}

/** The counters and gauges of `/metrics`; other plugins (rate limits, overload) add theirs. */
export interface Metrics {
  counter(name: string, help: string, labelName?: string): Counter;
  gauge(name: string, help: string, read: () => number): void;
  /** Everything, in Prometheus' text format (version 0.0.4). */
  render(): string;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

/** Upper bounds of the latency buckets, in milliseconds (shown in seconds). */
const BOUNDS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];
/** The route label of requests that matched no route (404). */
const UNMATCHED = 'unmatched';

/**
 * Requests and latencies of one route. Statuses index a fixed array and buckets are counted one by
 * one (cumulated when shown), so that observing a request allocates nothing.
 */
class RouteStats {
  readonly byStatus = new Float64Array(600);
  readonly buckets = new Float64Array(BOUNDS_MS.length + 1);
  sumMs = 0;

  observe(status: number, ms: number): void {
    const code = status > 0 && status < 600 ? status : 0;
    this.byStatus[code] = (this.byStatus[code] ?? 0) + 1;
    let bucket = 0;
    while (bucket < BOUNDS_MS.length && ms > (BOUNDS_MS[bucket] ?? 0)) bucket++;
    this.buckets[bucket] = (this.buckets[bucket] ?? 0) + 1;
    this.sumMs += ms;
  }
}

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  lines(): string[];
}

const label = (value: string) => value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));

function counterFamily(name: string, help: string, labelName?: string): Family & Counter {
  const values = new Map<string, number>();
  return {
    name,
    help,
    type: 'counter',
    inc: (value = '') => values.set(value, (values.get(value) ?? 0) + 1),
    lines: () =>
      labelName
        ? [...values].map(([value, n]) => `${name}{${labelName}="${label(value)}"} ${n}`)
        : [`${name} ${values.get('') ?? 0}`],
  };
}

function httpLines(routes: Map<string, RouteStats>): string[] {
  const requests = [
    '# HELP switchboard_http_requests_total Requests answered, by route template and status.',
    '# TYPE switchboard_http_requests_total counter',
  ];
  const latency = [
    '# HELP switchboard_http_request_duration_seconds Time from the request to the end of its answer, by route template.',
    '# TYPE switchboard_http_request_duration_seconds histogram',
  ];
  for (const [url, stats] of routes) {
    const route = `route="${label(url)}"`;
    stats.byStatus.forEach((n, status) => {
      if (n > 0) requests.push(`switchboard_http_requests_total{${route},status="${status}"} ${n}`);
    });
    let cumulative = 0;
    stats.buckets.forEach((n, i) => {
      cumulative += n;
      const le = i < BOUNDS_MS.length ? String((BOUNDS_MS[i] ?? 0) / 1000) : '+Inf';
      latency.push(`switchboard_http_request_duration_seconds_bucket{${route},le="${le}"} ${cumulative}`);
    });
    latency.push(`switchboard_http_request_duration_seconds_sum{${route}} ${stats.sumMs / 1000}`);
    latency.push(`switchboard_http_request_duration_seconds_count{${route}} ${cumulative}`);
  }
  return [...requests, ...latency];
}

/**
 * The metrics that `/metrics` shows (plugins/operations.ts), in Prometheus' text format written by
 * hand: requests by route template and status, a latency histogram per route, failed
 * authentications and database errors; the rate limits and the overload guard add theirs. Each
 * route gets its own onResponse hook bound to its statistics, so that the hot path neither looks
 * the route up nor allocates. Registered before the routes that it counts (routes registered
 * earlier, the OpenAPI document and the docs, are not counted).
 */
export const metricsPlugin = fp(
  async (app) => {
    const families: Family[] = [];
    const routes = new Map<string, RouteStats>();
    const statsOf = (url: string) => {
      const known = routes.get(url);
      if (known) return known;
      const stats = new RouteStats();
      routes.set(url, stats);
      return stats;
    };
    app.decorate('metrics', {
      counter(name: string, help: string, labelName?: string) {
        const family = counterFamily(name, help, labelName);
        families.push(family);
        return family;
      },
      gauge(name: string, help: string, read: () => number) {
        families.push({ name, help, type: 'gauge', lines: () => [`${name} ${read()}`] });
      },
      render() {
        const text = [
          ...httpLines(routes),
          ...families.flatMap((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.lines()]),
        ];
        return `${text.join('\n')}\n`;
      },
    });

    const authFailures = app.metrics.counter(
      'switchboard_authentication_failures_total',
      'Failed authentications of the public API (403 Invalid authentication).',
    );
    const databaseErrors = app.metrics.counter(
      'switchboard_database_errors_total',
      'Requests failed by the database: unavailable (503: unreachable or busy) or failed (500).',
      'kind',
    );

    app.addHook('onRoute', (route) => {
      const stats = statsOf(route.url);
      const observe: onResponseHookHandler = (_request, reply, done) => {
        stats.observe(reply.statusCode, reply.elapsedTime);
        done();
      };
      addRouteHook(route, 'onResponse', observe);
    });
    const unmatched = statsOf(UNMATCHED);
    app.addHook('onResponse', (request, reply, done) => {
      if (request.is404) unmatched.observe(reply.statusCode, reply.elapsedTime);
      done();
    });

    // Errors only: requests that succeed never reach this hook.
    app.addHook('onError', (_request, _reply, error, done) => {
      const code = error instanceof SwitchboardError ? error.code : undefined;
      if (code === 'AUTHENTICATION_INVALID') authFailures.inc();
      else if (code === 'DATABASE_UNAVAILABLE' || (!code && app.store.capabilities.isUnavailable(error))) {
        databaseErrors.inc('unavailable');
      } else if (!code && isDatabaseError(error)) databaseErrors.inc('failed');
      done();
    });
  },
  { name: 'switchboard-metrics', dependencies: ['switchboard-context'], fastify: '5.x' },
);

/**
 * An error raised by the database driver: better-sqlite3's carry a `SQLITE_*` code, PostgreSQL's
 * a five-character SQLSTATE and a severity. Only used for counting; the answer is 500 either way.
 */
function isDatabaseError(error: unknown): boolean {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  if (typeof code !== 'string') return false;
  return code.startsWith('SQLITE_') || (typeof severity === 'string' && /^[0-9A-Z]{5}$/.test(code));
}
