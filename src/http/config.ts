/** Settings of the HTTP service; `serve` reads them from flags and the environment. */
export interface AppConfig {
  /** Days accepted on each side of today for the access token (0: today only). */
  authDayWindow: number;
  /** Log level of the JSON log (pino), or false for no log at all. */
  logLevel: string | false;
  /** Log one line per request (costs about 30 % of throughput; off by default). */
  logRequests: boolean;
}

export const defaultConfig: AppConfig = {
  authDayWindow: 1,
  logLevel: 'info',
  logRequests: false,
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
  return config;
}
