/** Settings of the HTTP service; `serve` reads them from flags and the environment. */
export interface AppConfig {
  /** Days accepted on each side of today for the access token (0: today only). */
  authDayWindow: number;
  /** Log level of the JSON log (pino), or false for no log at all. */
  logLevel: string | false;
  /** Log one line per request (costs about 30 % of throughput; off by default). */
  logRequests: boolean;
  /** The operator token of the admin API (`/admin/v1/`); without one the admin API does not exist (404). */
  adminToken?: string;
  /** Failed authentications (403) per client address; past them its authenticated requests get 429. */
  authFailureLimit: RateLimit;
  /** Authenticated requests per company, counted after a successful authentication. */
  companyRequestLimit: RateLimit;
  /** Public person-info lookups (by talkToMeId, without credentials) per client address. */
  publicLookupLimit: RateLimit;
  /** Redis through which the instances share the rate limits; without it each process counts alone. */
  redisUrl?: string;
  /** Prefix of the rate limits' Redis keys, so that deployments (and test runs) sharing a Redis never meet. */
  redisKeyPrefix: string;
  /** Fastify's `trustProxy`: which proxies' `X-Forwarded-For` names the client address of the per-address limits. */
  trustProxy: boolean | string;
  /** Event-loop lag (ms) past which requests get 503; 0 switches load shedding off. */
  overloadDelayMs: number;
  /** How long (ms) the lag must stay under that before requests are served again. */
  overloadWindowMs: number;
  /** Bearer token that `/metrics` requires; without one `/metrics` is open. */
  metricsToken?: string;
}

/** At most `max` events per window of `windowMs` milliseconds; `max` 0 switches the limit off. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export const defaultConfig: AppConfig = {
  authDayWindow: 1,
  logLevel: 'info',
  logRequests: false,
  authFailureLimit: { max: 20, windowMs: 10 * 60_000 },
  companyRequestLimit: { max: 6000, windowMs: 60_000 },
  publicLookupLimit: { max: 300, windowMs: 60_000 },
  redisKeyPrefix: 'switchboard:',
  trustProxy: false,
  overloadDelayMs: 200,
  overloadWindowMs: 500,
};

/** The environment's part of the configuration; an invalid value is an error, not a silent default. */
export function configFromEnv(env: NodeJS.ProcessEnv): Partial<AppConfig> {
  const config: Partial<AppConfig> = {};
  if (env.SWITCHBOARD_AUTH_DAY_WINDOW !== undefined) {
    const window = Number(env.SWITCHBOARD_AUTH_DAY_WINDOW);
    if (!Number.isInteger(window) || window < 0 || window > 7) {
      throw new Error('SWITCHBOARD_AUTH_DAY_WINDOW must be a whole number of days from 0 to 7.');
    }
    config.authDayWindow = window;
  }
  if (env.SWITCHBOARD_LOG_LEVEL !== undefined)
    config.logLevel = env.SWITCHBOARD_LOG_LEVEL === 'off' ? false : env.SWITCHBOARD_LOG_LEVEL;
  if (env.SWITCHBOARD_LOG_REQUESTS !== undefined)
    config.logRequests = ['1', 'true', 'yes', 'on'].includes(env.SWITCHBOARD_LOG_REQUESTS.toLowerCase());
  // Empty counts as unset (admin API off); a short token would be guessable, so it is refused.
  if (env.SWITCHBOARD_ADMIN_TOKEN) {
    if (!/^\S{16,}$/.test(env.SWITCHBOARD_ADMIN_TOKEN)) {
      throw new Error(
        'SWITCHBOARD_ADMIN_TOKEN must be at least 16 characters without white space (openssl rand -hex 32).',
      );
    }
    config.adminToken = env.SWITCHBOARD_ADMIN_TOKEN;
  }
  Object.assign(config, hardeningFromEnv(env));
  return config;
}

/** Rate limits, Redis, proxies, overload and metrics (README, "Operations"); an empty variable counts as unset. */
function hardeningFromEnv(env: NodeJS.ProcessEnv): Partial<AppConfig> {
  const config: Partial<AppConfig> = {};
  const limits = [
    ['SWITCHBOARD_RATE_LIMIT_AUTH_FAILURES', 'authFailureLimit'],
    ['SWITCHBOARD_RATE_LIMIT_COMPANY', 'companyRequestLimit'],
    ['SWITCHBOARD_RATE_LIMIT_PUBLIC', 'publicLookupLimit'],
  ] as const;
  for (const [name, field] of limits) {
    const text = env[name];
    if (text) config[field] = rateLimitFrom(name, text, defaultConfig[field]);
  }
  if (env.SWITCHBOARD_REDIS_URL) {
    if (!/^rediss?:\/\//.test(env.SWITCHBOARD_REDIS_URL)) {
      throw new Error('SWITCHBOARD_REDIS_URL must be a redis:// or rediss:// URL.');
    }
    config.redisUrl = env.SWITCHBOARD_REDIS_URL;
  }
  if (env.SWITCHBOARD_REDIS_PREFIX) config.redisKeyPrefix = env.SWITCHBOARD_REDIS_PREFIX;
  if (env.SWITCHBOARD_TRUST_PROXY) config.trustProxy = trustProxyFrom(env.SWITCHBOARD_TRUST_PROXY);
  if (env.SWITCHBOARD_OVERLOAD_DELAY_MS) {
    config.overloadDelayMs = wholeNumberFrom('SWITCHBOARD_OVERLOAD_DELAY_MS', env.SWITCHBOARD_OVERLOAD_DELAY_MS, 0);
  }
  if (env.SWITCHBOARD_OVERLOAD_WINDOW_MS) {
    config.overloadWindowMs = wholeNumberFrom('SWITCHBOARD_OVERLOAD_WINDOW_MS', env.SWITCHBOARD_OVERLOAD_WINDOW_MS, 20);
  }
  if (env.SWITCHBOARD_METRICS_TOKEN) {
    if (!/^\S{16,}$/.test(env.SWITCHBOARD_METRICS_TOKEN)) {
      throw new Error('SWITCHBOARD_METRICS_TOKEN must be at least 16 characters without white space.');
    }
    config.metricsToken = env.SWITCHBOARD_METRICS_TOKEN;
  }
  return config;
}

const WINDOW_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** `N` (the default window) or `N/<window>` with a window like `30s`, `1m`, `10m`, `1h`; `0` is off. */
function rateLimitFrom(name: string, text: string, fallback: RateLimit): RateLimit {
  const match = /^(\d+)(?:\/(\d+)([smh]))?$/.exec(text.trim());
  const windowMs = match?.[2] ? Number(match[2]) * (WINDOW_UNITS[match[3] ?? ''] ?? 0) : fallback.windowMs;
  if (!match || windowMs <= 0) {
    throw new Error(`${name} must be a number of requests, optionally per window (e.g. 300 or 300/1m); 0 is off.`);
  }
  return { max: Number(match[1]), windowMs };
}

/** `true` (every proxy), `false`, or the proxies' addresses, CIDR ranges or `loopback` (comma-separated). */
function trustProxyFrom(text: string): boolean | string {
  const value = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  return text.trim();
}

function wholeNumberFrom(name: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}.`);
  return value;
}
