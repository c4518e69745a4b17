import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema/index.js';
import type { Capabilities } from './capabilities.js';

export const postgresCapabilities: Capabilities = {
  identity: { type: 'integer', build: (column) => column.primaryKey().generatedByDefaultAsIdentity() },
  caseInsensitiveLike: 'ilike',
};

export interface PostgresOptions {
  /** Connections per process. */
  poolSize: number;
}

/** Whether a database location names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

/**
 * `postgres://user@host:port/db?schema=name`: the `schema` parameter is Switchboard's own (the
 * tests give each file a schema of its own); it becomes the connection's search_path.
 */
export function parsePostgresUrl(location: string): { connectionString: string; schema: string | undefined } {
  const url = new URL(location);
  const schema = url.searchParams.get('schema') ?? undefined;
  url.searchParams.delete('schema');
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) {
    throw new Error('The schema parameter of a PostgreSQL URL must be lower-case letters, digits and _.');
  }
  return { connectionString: url.toString(), schema };
}

/** The location without its password, for messages and logs. */
export function describePostgresUrl(location: string): string {
  const url = new URL(location);
  if (url.password) url.password = '***';
  return url.toString();
}

export async function openPostgresDatabase(location: string, options: PostgresOptions): Promise<Kysely<Database>> {
  const { connectionString, schema } = parsePostgresUrl(location);
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString });
    await client.connect();
    try {
      await client.query(`create schema if not exists ${schema}`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize,
    // Fail fast when the server is gone, so requests answer 503 instead of hanging.
    connectionTimeoutMillis: 3_000,
    query_timeout: 10_000,
    ...(schema !== undefined && { options: `-c search_path=${schema}` }),
  });
  // An idle client that loses its server emits 'error'; the pool drops it and the next query reconnects.
  pool.on('error', () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
