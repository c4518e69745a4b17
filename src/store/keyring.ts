import type { KyselyPlugin } from 'kysely';
import { isSealed, openSecret, sealSecret } from '../domain/secret-box.js';
import type { Db } from './store.js';

/**
 * How companies' API keys are stored: sealed under the master key (SWITCHBOARD_MASTER_KEY), or as
 * they are when there is none. The companies repository is its only user: it seals every key it
 * writes and opens every key it reads, so that services, the CLI and the HTTP layer see plain keys.
 */
export interface Keyring {
  /** Whether keys are encrypted at rest. */
  readonly encrypts: boolean;
  /** The text to store for a company's API key. */
  seal(apiKey: string, companyId: string): string;
  /** The API key of a stored text; fails with a clear message when it cannot be opened. */
  open(stored: string, companyId: string): string;
}

export const MASTER_KEY_MISSING =
  'The database holds encrypted API keys: set SWITCHBOARD_MASTER_KEY to the master key they were encrypted with.';

function masterKeyWrong(companyId: string): string {
  return (
    `The API key of company ${companyId} cannot be decrypted: SWITCHBOARD_MASTER_KEY is not the master key ` +
    'the database was encrypted with (or the stored key was altered).'
  );
}

// The company id is authenticated with the key, so a sealed key copied to another company does not open.
const context = (companyId: string) => `company:${companyId}:api-key`;

/** The keyring of a master key (32 bytes), or the one that stores keys as they are. */
export function createKeyring(masterKey?: Buffer): Keyring {
  if (masterKey === undefined) return PLAIN;
  const key = Buffer.from(masterKey);
  return {
    encrypts: true,
    seal: (apiKey, companyId) => sealSecret(key, apiKey, context(companyId)),
    // A plain key is still read: written before the store was opened with the master key, or by an
    // older process; the next start seals it.
    open: (stored, companyId) =>
      isSealed(stored) ? (openSecret(key, stored, context(companyId)) ?? fail(masterKeyWrong(companyId))) : stored,
  };
}

const PLAIN: Keyring = {
  encrypts: false,
  seal: (apiKey) => apiKey,
  open: (stored) => (isSealed(stored) ? fail(MASTER_KEY_MISSING) : stored),
};

function fail(message: string): never {
  throw new Error(message);
}

/**
 * Carries a keyring along with a Kysely instance. Kysely hands its plugins on to every transaction
 * and connection it opens, so a repository finds the keyring from whatever `db` it is given, and
 * services keep taking just `db`. The plugin changes no query and no result.
 */
class KeyringPlugin implements KyselyPlugin {
  constructor(readonly keyring: Keyring) {}

  transformQuery: KyselyPlugin['transformQuery'] = (args) => args.node;

  transformResult: KyselyPlugin['transformResult'] = async (args) => args.result;
}

/** The same database with `keyring` for companies' API keys. */
export function withKeyring(db: Db, keyring: Keyring): Db {
  return db.withPlugin(new KeyringPlugin(keyring));
}

/** The keyring that `db` (or the transaction) was opened with; keys stored as they are if none. */
export function keyringOf(db: Db): Keyring {
  const plugin = db
    .getExecutor()
    .plugins.findLast((candidate): candidate is KeyringPlugin => candidate instanceof KeyringPlugin);
  return plugin?.keyring ?? PLAIN;
}
