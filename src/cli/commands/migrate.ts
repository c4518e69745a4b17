import type { Command } from 'commander';
import { withDb, withStore } from '../run.js';

export function migrateCommand(program: Command): void {
  withDb(program.command('migrate'))
    .description('create or update the database schema (serve does this too)')
    .action((options) =>
      withStore(options, async (store) => {
        process.stdout.write(`Database ${store.location} is up to date.\n`);
      }),
    );
}
