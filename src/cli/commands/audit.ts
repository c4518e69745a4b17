import type { Command } from 'commander';
import { recentAudit } from '../../service/audit.js';
import { type DbOption, printJson, wholeNumber, withDb, withStore } from '../run.js';

export function auditCommand(program: Command): void {
  withDb(program.command('audit'))
    .description('print recent audit entries, newest first')
    .option('--company <companyId>', 'only this company’s entries')
    .option('--limit <n>', 'how many entries', wholeNumber('--limit'), 50)
    .action((options: { company?: string; limit: number } & DbOption) =>
      withStore(options, async (store) =>
        printJson(await recentAudit(store.db, { companyId: options.company, limit: options.limit })),
      ),
    );
}
