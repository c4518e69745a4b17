import type { FastifyRequest } from 'fastify';
import type { LoggerOptions } from 'pino';
import type { AppConfig } from './config.js';

/**
 * A request URL with the value of its `key` parameter replaced, so that no token reaches the log.
 * Names are compared decoded, as the query parser reads them (`k%65y` is `key` too); a name that
 * cannot be decoded has its value redacted as well.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start < 0) return url;
  const pairs = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 0) return pair;
      const name = pair.slice(0, equals);
      return isKeyName(name) ? `${name}=[redacted]` : pair;
    });
  return `${url.slice(0, start)}?${pairs.join('&')}`;
}

function isKeyName(raw: string): boolean {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).toLowerCase() === 'key';
  } catch {
    return true;
  }
}

/** pino options: JSON lines, and no key, token or Authorization header in any of them. */
export function loggerOptions(config: AppConfig): LoggerOptions | false {
  if (config.logLevel === false) return false;
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.query.key',
        'req.body.key',
        '*.apiKey',
        '*.api_key',
        '*.previous_api_key',
      ],
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
