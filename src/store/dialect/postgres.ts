import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../schema/index.js';
import type { Capabilities } from './capabilities.js';
import { describePostgresUrl, parsePostgresUrl } from './postgres-url.js';

export { describePostgresUrl, isPostgresUrl, parsePostgresUrl } from './postgres-url.js';

export const postgresCapabilities: Capabilities = {
  identity: { type: 'integer', build: (column) => column.primaryKey().generatedByDefaultAsIdentity() },
  isUnavailable: isConnectionFailure,
  // An identity column's sequence ignores explicit ids; without this the next insert would collide.
  followInsertedIds: async (db, table) => {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce(max(id), 0) + 1, false) from ${sql.table(table)}`.execute(
      db,
    );
  },
};

/** Network errors, pool and query timeouts, and server states (SQLSTATE classes 08 and 57P). */
const UNAVAILABLE_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|08...|57P0[1-4]|53300)$/;
const UNAVAILABLE_MESSAGES = /^(Connection terminated|timeout exceeded when trying to connect|Query read timeout)/;

function isConnectionFailure(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = String((cause as { code?: unknown }).code ?? '');
    if (UNAVAILABLE_CODES.test(code) || UNAVAILABLE_MESSAGES.test(cause.message)) return true;
    // Node reports a refused connection to every address of a host as an AggregateError.
    if (cause instanceof AggregateError && cause.errors.some(isConnectionFailure)) return true;
  }
  return false;
}

export interface PostgresOptions {
  /** Connections per process. */
  poolSize: number;
}

/** Opens a pool on the URL's database (and schema); the server must answer at once. */
export async function openPostgresDatabase(location: string, options: PostgresOptions): Promise<Kysely<Database>> {
  const { connectionString, schema } = parsePostgresUrl(location);
  // One connection first: it proves the server can be reached (a clear error at start) and makes the schema.
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    if (schema !== undefined) await client.query(`create schema if not exists ${schema}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Cannot use the PostgreSQL database ${describePostgresUrl(location)}: ${reason}`, { cause: error });
  } finally {
    await client.end().catch(() => {});
  }
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize,
    // Fail fast when the server is gone, so requests answer 503 instead of hanging.
    connectionTimeoutMillis: 3_000,
    query_timeout: 10_000,
    ...(schema !== undefined && { options: `-c search_path=${schema}` }),
  });
  // A client that loses its server emits 'error', which would crash the process where nobody
  // listens (a checked-out client has no pool listener). The query in flight fails on its own and
  // the pool replaces the client, so the event itself needs no handling.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
