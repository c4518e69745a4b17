import { isSealed } from '../domain/secret-box.js';
import { keyringOf } from './keyring.js';
import { recordAudit } from './repositories/audit.js';
import type { Db } from './store.js';

interface StoredKeys {
  id: string;
  api_key: string;
  previous_api_key: string | null;
}

const ACTOR = 'system';

/**
 * Brings the stored API keys in line with the store's keyring, after the migrations: every sealed
 * key must open (else a clear error: no master key, or the wrong one, rather than a server that
 * authenticates nobody), and with a master key every plain key is sealed, in one transaction, with
 * an audit entry `company.encrypt-keys` per company (without key material). Idempotent: a second
 * run, or a second instance starting at the same time, finds nothing left to seal.
 *
 * Inside a transaction (an import) it works in that transaction.
 */
export async function encryptStoredKeys(db: Db, now: Date): Promise<void> {
  const keyring = keyringOf(db);
  const rows = await readKeys(db, false);
  // Opening each key proves the master key right (or fails with the message saying what is missing).
  for (const row of rows) for (const stored of keysOf(row)) keyring.open(stored, row.id);
  if (!keyring.encrypts || !rows.some(hasPlainKey)) return;
  const seal = async (trx: Db) => {
    // Read again under row locks: another instance may have sealed them meanwhile.
    for (const row of (await readKeys(trx, true)).filter(hasPlainKey)) {
      const sealIfPlain = (stored: string) => (isSealed(stored) ? stored : keyring.seal(stored, row.id));
      await trx
        .updateTable('companies')
        .set({
          api_key: sealIfPlain(row.api_key),
          previous_api_key: row.previous_api_key === null ? null : sealIfPlain(row.previous_api_key),
        })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, {
        at: now.toISOString(),
        actor: ACTOR,
        action: 'company.encrypt-keys',
        companyId: row.id,
        subject: `company:${row.id}`,
        before: null,
        after: null,
      });
    }
  };
  if (db.isTransaction) await seal(db);
  else await db.transaction().execute(seal);
}

function readKeys(db: Db, lock: boolean): Promise<StoredKeys[]> {
  const query = db.selectFrom('companies').select(['id', 'api_key', 'previous_api_key']).orderBy('id');
  return (lock ? query.forUpdate() : query).execute();
}

function keysOf(row: StoredKeys): string[] {
  return row.previous_api_key === null ? [row.api_key] : [row.api_key, row.previous_api_key];
}

function hasPlainKey(row: StoredKeys): boolean {
  return keysOf(row).some((stored) => !isSealed(stored));
}
