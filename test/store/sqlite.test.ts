import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, test } from 'vitest';
import { sqliteCapabilities } from '../../src/store/dialect/sqlite.js';
import { migrations as allMigrations } from '../../src/store/migrations/index.js';
import { openStore } from '../../src/store/store.js';

const dir = mkdtempSync(join(tmpdir(), 'switchboard-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite store', () => {
  test('creates the file and its folder, in WAL mode with full sync and foreign keys on', async () => {
    const store = await openStore(join(dir, 'nested', 'folder', 'switchboard.db'));
    try {
      const pragma = async (name: string) =>
        Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('synchronous')).toBe(2); // FULL
      expect(await pragma('foreign_keys')).toBe(1);
    } finally {
      await store.close();
    }
  });

  test('migrates a new database to the latest schema, and reopening changes nothing', async () => {
    const file = join(dir, 'migrated.db');
    const first = await openStore(file);
    const tables = (await first.db.introspection.getTables()).map((table) => table.name).sort();
    await first.close();
    expect(tables).toEqual(['accounts', 'audit', 'channel_members', 'channels', 'companies']);
    const second = await openStore(file);
    const migrations = await sql<{ name: string }>`select name from kysely_migration`.execute(second.db);
    await second.close();
    expect(migrations.rows.map((row) => row.name)).toEqual(Object.keys(allMigrations(sqliteCapabilities)));
  });

  test('emails are unique regardless of case', async () => {
    const store = await openStore(':memory:');
    const row = (id: string, email: string) => ({
      id,
      email,
      email_key: email.toLowerCase(),
      name: 'X',
      talk_to_me_id: id,
      online_state: 'OFFLINE' as const,
      verified: 0 as const,
      locked: 0 as const,
      dnd: 0 as const,
      created_at: 'now',
      updated_at: 'now',
    });
    try {
      await store.db
        .insertInto('accounts')
        .values(row('A'.repeat(26), 'Same@Example.com'))
        .execute();
      await expect(
        store.db
          .insertInto('accounts')
          .values(row('B'.repeat(26), 'same@example.COM'))
          .execute(),
      ).rejects.toThrow(/UNIQUE/);
    } finally {
      await store.close();
    }
  });
});
