import type { Command } from 'commander';
import {
  companyJson,
  createCompany,
  getCompany,
  listCompanies,
  rotateCompanyKey,
  updateCompany,
} from '../../service/companies.js';
import { cliChange, printJson, withDb, withStore } from '../run.js';

export function companyCommands(program: Command): void {
  const company = program.command('company').description('create, list, show and change companies');

  withDb(company.command('create'))
    .description('create a company and print it with its new API key')
    .requiredOption('--name <name>', 'display name')
    .option('--hash <hash>', 'token hash function: sha256 or md5', 'sha256')
    .option('--timezone <zone>', 'IANA time zone in which absences are judged', 'UTC')
    .action((options) =>
      withStore(options, async (store) => {
        const { companyId, name, apiKey, hash, timezone } = await createCompany(store.db, options, cliChange());
        printJson({ companyId, name, apiKey, hash, timezone });
      }),
    );

  withDb(company.command('list'))
    .description('list all companies (without their keys)')
    .action((options) => withStore(options, async (store) => printJson(await listCompanies(store.db))));

  withDb(company.command('show'))
    .description('show one company (without its key)')
    .argument('<companyId>')
    .action((id, options) =>
      withStore(options, async (store) => printJson(companyJson(await getCompany(store.db, id)))),
    );

  withDb(company.command('update'))
    .description('change a company’s name, hash function or time zone')
    .argument('<companyId>')
    .option('--name <name>')
    .option('--hash <hash>', 'sha256 or md5')
    .option('--timezone <zone>', 'IANA time zone')
    .action((id, options) =>
      withStore(options, async (store) => printJson(await updateCompany(store.db, id, options, cliChange()))),
    );

  withDb(company.command('rotate-key'))
    .description('replace the API key; tokens of the old key stop working at once, or after --grace')
    .argument('<companyId>')
    .option('--grace <duration>', 'keep the old key valid this long so integrations can switch: 30m, 24h, 7d')
    .action((id, options) =>
      withStore(options, async (store) =>
        printJson(await rotateCompanyKey(store.db, id, cliChange(), { grace: options.grace })),
      ),
    );
}
