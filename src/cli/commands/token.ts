import type { Command } from 'commander';
import { computeAccessToken, utcDay } from '../../domain/access-token.js';
import { getCompany } from '../../service/companies.js';
import { type DbOption, wholeNumber, withDb, withStore } from '../run.js';

export function tokenCommand(program: Command): void {
  withDb(program.command('token'))
    .description('print a company’s access token of today (or of another UTC day)')
    .argument('<companyId>')
    .option('--day <n>', 'UTC days since 1970-01-01 (default: today)', wholeNumber('--day'))
    .action((id: string, options: { day?: number } & DbOption) =>
      withStore(options, async (store) => {
        const company = await getCompany(store.db, id);
        const day = options.day ?? utcDay(Date.now());
        process.stdout.write(`${computeAccessToken(company.api_key, company.id, day, company.hash)}\n`);
      }),
    );
}
