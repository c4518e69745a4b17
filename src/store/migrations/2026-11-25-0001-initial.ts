import type { Kysely, Migration } from 'kysely';
import { sql } from 'kysely';
import type { Capabilities } from '../dialect/capabilities.js';

// Migrations take `Kysely<any>`: they must keep working after the typed schema has moved on.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyDb = Kysely<any>;

export function initial(capabilities: Capabilities): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('companies')
        .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('api_key', 'text', (c) => c.notNull())
        .addColumn('hash', 'varchar(6)', (c) => c.notNull().check(sqlIn('hash', ['sha256', 'md5'])))
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('channels')
        .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
        .addColumn('company_id', 'varchar(26)', (c) => c.notNull().references('companies.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('channels_company').on('channels').column('company_id').execute();

      await db.schema
        .createTable('accounts')
        .addColumn('id', 'varchar(26)', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('email_key', 'text', (c) => c.notNull().unique())
        .addColumn('company_id', 'varchar(26)', (c) => c.references('companies.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('talk_to_me_id', 'varchar(26)', (c) => c.notNull().unique())
        .addColumn('avatar', 'text')
        .addColumn('phone', 'text')
        .addColumn('mobile', 'text')
        .addColumn('position', 'text')
        .addColumn('verified', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('dnd', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('online_state', 'varchar(7)', (c) =>
          c
            .notNull()
            .defaultTo('OFFLINE')
            .check(sqlIn('online_state', ['ONLINE', 'AWAY', 'OFFLINE'])),
        )
        .addColumn('away_from', 'varchar(10)')
        .addColumn('away_until', 'varchar(10)')
        .addColumn('substitute_account_id', 'varchar(26)', (c) => c.references('accounts.id'))
        .addColumn('substitute_channel_id', 'varchar(26)', (c) => c.references('channels.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('accounts_company').on('accounts').column('company_id').execute();

      await db.schema
        .createTable('channel_members')
        .addColumn('channel_id', 'varchar(26)', (c) => c.notNull().references('channels.id'))
        .addColumn('account_id', 'varchar(26)', (c) => c.notNull().references('accounts.id'))
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('channel_members_pk', ['channel_id', 'account_id'])
        .execute();
      await db.schema.createIndex('channel_members_account').on('channel_members').column('account_id').execute();

      await db.schema
        .createTable('audit')
        .addColumn('id', capabilities.identity.type, capabilities.identity.build)
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('company_id', 'varchar(26)')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .execute();
      await db.schema.createIndex('audit_company').on('audit').columns(['company_id', 'id']).execute();
    },

    async down(db: AnyDb) {
      for (const table of ['audit', 'channel_members', 'accounts', 'channels', 'companies']) {
        await db.schema.dropTable(table).execute();
      }
    },
  };
}

function sqlIn(column: string, values: string[]) {
  return sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);
}
