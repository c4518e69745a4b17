import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';
import type { AppConfig } from './config.js';

const KEY_PARAMETER = /([?&]key=)[^&]*/gi;

/** A request URL with the value of its `key` parameter replaced, so that no token reaches the log. */
export function redactUrl(url: string): string {
  return url.replace(KEY_PARAMETER, '$1[redacted]');
}

/** pino options: JSON lines, and no key, token or Authorization header in any of them. */
export function loggerOptions(config: AppConfig): LoggerOptions | false {
  if (config.logLevel === false) return false;
  return {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'req.query.key', 'req.body.key', '*.apiKey', '*.api_key'],
      censor: '[redacted]',
    },
    serializers: {
      req: (request: FastifyRequest) => ({
        method: request.method,
        url: redactUrl(request.url),
        remoteAddress: request.ip,
      }),
    },
  };
}
