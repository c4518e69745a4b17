import type { Command } from 'commander';
import { backupDatabase } from '../../store/backup.js';
import { type DbOption, databaseLocation, printJson, withDb, withStore } from '../run.js';

export function backupCommand(program: Command): void {
  withDb(program.command('backup'))
    .description('write a consistent copy of the database to a new file, also while the server runs')
    .argument('<file>', 'the new file (SQLite database, or a dump for PostgreSQL)')
    .action((file: string, options: DbOption) =>
      withStore(options, async (store) => {
        const format = await backupDatabase(store, databaseLocation(options), file);
        printJson({ backup: file, format });
      }),
    );
}
