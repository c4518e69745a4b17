import type { onRequestHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { ERRORS } from '../../domain/errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `false` on routes that answer even when the process is overloaded (`/healthz`, `/metrics`). */
    shedWhenOverloaded?: boolean;
  }
}

/** How often the loop's lag is sampled (ms): a timer that comes late by the lag. */
const SAMPLE_MS = 20;

const OVERLOADED = ERRORS.OVERLOADED;
/** The contract's error body, serialized once. */
const OVERLOADED_BODY = JSON.stringify({ success: false, error: true, message: OVERLOADED.message() });
const JSON_UTF8 = 'application/json; charset=utf-8';
/** As for every 503 (plugins/errors.ts). */
const RETRY_AFTER_SECONDS = '2';

/**
 * Load shedding. A timer samples the event loop's lag every 20 ms (how late it fires is how long a
 * request waits before its first callback). As soon as one lag passes the threshold (200 ms by
 * default), and until a whole window (500 ms) has passed with every lag under it, each request is
 * answered 503 with `Retry-After` in its first hook, before any parsing, database or hashing work,
 * so that the backlog drains instead of every client waiting ever longer. A timer of our own rather
 * than perf_hooks' monitorEventLoopDelay: in the test workers that histogram recorded no samples.
 */
export const overloadPlugin = fp(
  async (app) => {
    const { overloadDelayMs: thresholdMs, overloadWindowMs: windowMs } = app.config;
    const shedding = thresholdMs > 0;
    let overloaded = false;
    /** The longest lag of the last complete window, and of the current one. */
    let delayMs = 0;
    let windowMaxMs = 0;
    let windowEnds = 0;
    let last = 0;
    const sample = () => {
      const now = performance.now();
      const lag = Math.max(0, now - last - SAMPLE_MS);
      last = now;
      windowMaxMs = Math.max(windowMaxMs, lag);
      if (shedding && lag > thresholdMs) overloaded = true;
      if (now >= windowEnds) {
        delayMs = windowMaxMs;
        overloaded = shedding && windowMaxMs > thresholdMs;
        windowMaxMs = 0;
        windowEnds = now + windowMs;
      }
    };
    let timer: NodeJS.Timeout | undefined;
    // Measured from the moment the app is ready: the synchronous work of building it is no overload.
    app.addHook('onReady', async () => {
      last = performance.now();
      windowEnds = last + windowMs;
      timer = setInterval(sample, SAMPLE_MS).unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));

    app.metrics.gauge(
      'switchboard_event_loop_delay_seconds',
      'Event-loop delay: the longest lag in the current and the last overload window.',
      () => Math.max(delayMs, windowMaxMs) / 1000,
    );
    const shed = app.metrics.counter(
      'switchboard_overload_rejections_total',
      'Requests answered 503 because the event loop lagged past SWITCHBOARD_OVERLOAD_DELAY_MS.',
    );

    if (!shedding) return;
    const guard: onRequestHookHandler = (request, reply, done) => {
      // The route's config is read only while overloaded: the normal path costs one boolean.
      if (overloaded && request.routeOptions.config?.shedWhenOverloaded !== false) {
        // Answered here, not thrown: no error object, no stack, no error log line per shed request.
        shed.inc();
        reply.code(OVERLOADED.status).header('retry-after', RETRY_AFTER_SECONDS).type(JSON_UTF8).send(OVERLOADED_BODY);
        return;
      }
      done();
    };
    app.addHook('onRequest', guard);
  },
  { name: 'switchboard-overload', dependencies: ['switchboard-context', 'switchboard-metrics'], fastify: '5.x' },
);
