import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { SwitchboardError } from '../domain/errors.js';
import type { Change } from '../service/change.js';
import { DEFAULT_DATABASE, openStore, type Store } from '../store/store.js';

export interface DbOption {
  db?: string;
}

/** Adds the `--db` option that every command takes. */
export function withDb(command: Command): Command {
  return command.option('--db <location>', `database file (env SWITCHBOARD_DB, default ${DEFAULT_DATABASE})`);
}

export function databaseLocation(options: DbOption): string {
  return options.db ?? process.env.SWITCHBOARD_DB ?? DEFAULT_DATABASE;
}

/** The change a CLI command makes, as the audit trail records it. */
export function cliChange(): Change {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // No user name in some containers; the audit trail still says it came from the CLI.
  }
  return { actor: `cli:${user}`, now: new Date() };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Runs a command's work on the store and closes it. Every failure is one line on stderr and exit
 * code 1; an unexpected one shows no stack unless SWITCHBOARD_DEBUG is set.
 */
export async function withStore(options: DbOption, work: (store: Store) => Promise<void>): Promise<void> {
  let store: Store | undefined;
  try {
    store = await openStore(databaseLocation(options));
    await work(store);
  } catch (error) {
    reportFailure(error);
  } finally {
    await store?.close();
  }
}

export function reportFailure(error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`switchboard: ${message}\n`);
  if (process.env.SWITCHBOARD_DEBUG && !(error instanceof SwitchboardError)) console.error(error);
  process.exitCode = 1;
}

/** Parses a whole number option or fails with a clear message. */
export function wholeNumber(name: string) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number)) throw new Error(`${name} must be a whole number, not "${value}".`);
    return number;
  };
}
