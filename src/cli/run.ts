import { userInfo } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import { SwitchboardError } from '../domain/errors.js';
import { parseMasterKey } from '../domain/secret-box.js';
import type { Change } from '../service/change.js';
import { createKeyring } from '../store/keyring.js';
import { DEFAULT_DATABASE, openStore, type Store, type StoreOptions } from '../store/store.js';

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

/**
 * Options of every store the CLI opens: with SWITCHBOARD_MASTER_KEY the companies' API keys are
 * encrypted at rest. The key is checked here, and neither it nor any part of it is ever printed.
 */
export function storeOptions(options: StoreOptions = {}): StoreOptions {
  const text = process.env.SWITCHBOARD_MASTER_KEY;
  if (text === undefined) return options;
  const masterKey = parseMasterKey(text);
  if (masterKey === undefined) {
    throw new Error(
      'SWITCHBOARD_MASTER_KEY must be 32 bytes, written as 64 hex characters or in base64 (make one with `openssl rand -hex 32`).',
    );
  }
  return { ...options, keyring: createKeyring(masterKey) };
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
    store = await openStore(databaseLocation(options), storeOptions());
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
    // Commander reports this error as one line with exit code 1, like its own usage errors.
    if (!Number.isInteger(number)) throw new InvalidArgumentError(`${name} must be a whole number, not "${value}".`);
    return number;
  };
}
