import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';

/** The events a key has in its current window, and the milliseconds until that window ends. */
export interface WindowCount {
  count: number;
  resetMs: number;
}

/**
 * Fixed-window counters of one kind of event (failed authentications, requests of a company, ...),
 * keyed by client address or company. A window starts with the first event of its key. `undefined`
 * means that the count is unknown right now (Redis unreachable): the caller lets the request pass.
 */
export interface RateCounter {
  /** Counts one event of `key`. */
  hit(key: string): Promise<WindowCount | undefined>;
  /** The count of `key` so far, without counting. */
  peek(key: string): Promise<WindowCount | undefined>;
}

/** Where the counters live: in this process, or in a Redis that the instances share. */
export interface CounterStore {
  counter(name: string, windowMs: number): RateCounter;
  close(): Promise<void>;
}

/** Keys kept per counter at most: an address-hopping client cannot grow the process without bound. */
const MAX_KEYS = 100_000;

class MemoryCounter implements RateCounter {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  async hit(key: string): Promise<WindowCount> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      // Deleted and set again, so that the Map's order stays the order in which windows started.
      this.windows.delete(key);
      if (this.windows.size >= MAX_KEYS) this.evict(now);
      window = { count: 0, endsAt: now + this.windowMs };
      this.windows.set(key, window);
    }
    window.count++;
    return { count: window.count, resetMs: window.endsAt - now };
  }

  async peek(key: string): Promise<WindowCount> {
    const now = this.now();
    const window = this.windows.get(key);
    return window && window.endsAt > now
      ? { count: window.count, resetMs: window.endsAt - now }
      : { count: 0, resetMs: 0 };
  }

  /** Drops the ended windows and, if that is not enough, the oldest tenth. */
  private evict(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    let excess = this.windows.size - Math.floor(MAX_KEYS * 0.9);
    for (const key of this.windows.keys()) {
      if (excess-- <= 0) break;
      this.windows.delete(key);
    }
  }
}

/** Counters of this process only; windows follow the app's clock (tests move it). */
export function memoryCounters(now: () => number): CounterStore {
  return { counter: (_name, windowMs) => new MemoryCounter(windowMs, now), close: async () => {} };
}

// INCR and the window's expiry in one step, so that instances racing on a key never lose a count or an expiry.
const HIT = `local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) ttl = tonumber(ARGV[1]) end
return {count, ttl}`;
const PEEK = `return {tonumber(redis.call('GET', KEYS[1]) or '0'), redis.call('PTTL', KEYS[1])}`;

interface CounterCommands {
  rateHit(key: string, windowMs: number): Promise<[number, number]>;
  ratePeek(key: string): Promise<[number, number]>;
}

/** A Redis that answers slower than this counts as unreachable for the request. */
const COMMAND_TIMEOUT_MS = 100;
/** After a failure, Redis is left alone this long (requests pass uncounted) instead of being waited for. */
const BACKOFF_MS = 1000;

/**
 * Counters in Redis, shared by every instance that uses the same Redis and key prefix. When Redis
 * cannot be reached the limits fail open: requests are served uncounted and one warning is logged
 * per outage. Availability of the API wins over its limits; the per-process fallback would
 * hand out N times the limit anyway.
 */
class RedisCounters implements CounterStore {
  private readonly redis: Redis & CounterCommands;
  private skipUntil = 0;
  private failing = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly log: FastifyBaseLogger,
  ) {
    const redis = new Redis(url, {
      lazyConnect: true,
      // A command fails at once while Redis is away, rather than queueing behind the reconnection.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: 1000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    redis.defineCommand('rateHit', { numberOfKeys: 1, lua: HIT });
    redis.defineCommand('ratePeek', { numberOfKeys: 1, lua: PEEK });
    redis.on('error', (error: Error) => this.unreachable(error));
    redis.on('ready', () => {
      if (this.failing) this.log.info('Redis is reachable again: the rate limits are enforced again');
      this.failing = false;
      this.skipUntil = 0;
    });
    this.redis = redis as Redis & CounterCommands;
  }

  /** Connects; an unreachable Redis is logged (and retried in the background), not fatal. */
  async connect(): Promise<void> {
    try {
      await this.redis.connect();
    } catch (error) {
      this.unreachable(error as Error);
    }
  }

  counter(name: string, windowMs: number): RateCounter {
    const prefix = `${this.prefix}rate:${name}:`;
    return {
      hit: (key) => this.run(() => this.redis.rateHit(prefix + key, windowMs)),
      peek: (key) => this.run(() => this.redis.ratePeek(prefix + key)),
    };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async run(command: () => Promise<[number, number]>): Promise<WindowCount | undefined> {
    if (Date.now() < this.skipUntil) return undefined;
    try {
      const [count, ttl] = await command();
      return { count, resetMs: Math.max(0, ttl) };
    } catch (error) {
      this.unreachable(error as Error);
      return undefined;
    }
  }

  private unreachable(error: Error): void {
    this.skipUntil = Date.now() + BACKOFF_MS;
    if (this.failing) return;
    this.failing = true;
    this.log.warn({ err: error }, 'Redis is unreachable: the rate limits are not enforced until it is back');
  }
}

/** The counters of a Redis URL, connected (or retrying in the background). */
export async function redisCounters(url: string, prefix: string, log: FastifyBaseLogger): Promise<CounterStore> {
  const store = new RedisCounters(url, prefix, log);
  await store.connect();
  return store;
}
