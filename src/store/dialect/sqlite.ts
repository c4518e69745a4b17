import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  type QueryCompiler,
  type SelectModifierNode,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  SqliteQueryCompiler,
} from 'kysely';
import type { Database } from '../schema/index.js';
import type { Capabilities } from './capabilities.js';

/** How long a writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 5_000;

export const sqliteCapabilities: Capabilities = {
  identity: { type: 'integer', build: (column) => column.primaryKey().autoIncrement() },
  // Another process held the write lock for longer than the busy timeout.
  // AUTOINCREMENT already continues after the largest id inserted.
  followInsertedIds: async () => {},
  isUnavailable: (error) => /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown })?.code)),
};

/**
 * Every Switchboard transaction writes. A deferred `BEGIN` would take the write lock only at the
 * first write, and then fail at once with SQLITE_BUSY when another process wrote in between;
 * `BEGIN IMMEDIATE` takes it up front, so the busy timeout applies and the write simply waits.
 */
class ImmediateTransactionDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * SQLite has no row locks and no `FOR UPDATE`; it needs none, since `BEGIN IMMEDIATE` already
 * serialises writers. Repositories lock rows for PostgreSQL, and here the clause compiles to nothing.
 */
class RowLockFreeCompiler extends SqliteQueryCompiler {
  protected override visitSelectModifier(node: SelectModifierNode): void {
    if (node.modifier !== 'ForUpdate') super.visitSelectModifier(node);
  }
}

class SwitchboardSqliteDialect extends SqliteDialect {
  constructor(private readonly config: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(config);
  }

  override createDriver(): SqliteDriver {
    return new ImmediateTransactionDriver(this.config);
  }

  override createQueryCompiler(): QueryCompiler {
    return new RowLockFreeCompiler();
  }
}

export function openSqliteDatabase(path: string): { db: Kysely<Database>; raw: SQLite.Database } {
  const raw = openWritable(path);
  const db = new Kysely<Database>({ dialect: new SwitchboardSqliteDialect({ database: withStatementCache(raw) }) });
  return { db, raw };
}

/** Statements kept at most; the service issues a few dozen distinct ones. */
const STATEMENT_CACHE_MAX = 500;

/**
 * Kysely prepares every query anew, which costs SQLite a parse and plan each time (several times the
 * cost of a point read). A statement is reusable as soon as it has run (Kysely runs them one at a
 * time on this single connection), so each distinct SQL text is prepared once.
 */
function withStatementCache(raw: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement === undefined) {
        statement = raw.prepare(sql);
        if (statements.size < STATEMENT_CACHE_MAX) statements.set(sql, statement);
      }
      return statement;
    },
  };
}

/**
 * Opens the file and proves at once that it can be written, so that a missing folder, a read-only
 * file or a file that is not a database stops the start with one clear sentence, not at the first
 * request with a stack trace.
 */
function openWritable(path: string): SQLite.Database {
  let raw: SQLite.Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    raw = new SQLite(path, { timeout: BUSY_TIMEOUT_MS });
    // WAL lets readers and one writer work at once (CLI beside a running server); FULL syncs the WAL
    // at every commit, so a write that answered 200 survives a crash of the process or the machine.
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.pragma('foreign_keys = ON');
    // A file that opened read-only (SQLite falls back silently) fails only at its first write: write now.
    raw.pragma(`user_version = ${Number(raw.pragma('user_version', { simple: true }))}`);
    return raw;
  } catch (error) {
    raw?.close();
    throw new Error(`Cannot use the SQLite database ${path}: ${explain(error)}`, { cause: error });
  }
}

function explain(error: unknown): string {
  const code = String((error as { code?: unknown }).code ?? '');
  if (/^SQLITE_READONLY|^EROFS$|^EACCES$|^EPERM$/.test(code)) {
    return `it is read-only. Switchboard must be able to write it and to create its -wal and -shm files beside it.`;
  }
  if (/^ENOTDIR$|^EEXIST$/.test(code)) return 'its folder cannot be created (part of the path is a file).';
  if (code === 'SQLITE_NOTADB') return 'the file is not a SQLite database.';
  if (code === 'SQLITE_CANTOPEN') return 'the file cannot be opened or created (check the path and its permissions).';
  return error instanceof Error ? error.message : String(error);
}
