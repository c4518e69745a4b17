import type { Command } from 'commander';
import { fail } from '../../domain/errors.js';
import { type AccountProfile, createAccount, getAccount, listAccounts, updateAccount } from '../../service/accounts.js';
import { cliChange, type DbOption, printJson, withDb, withStore } from '../run.js';

interface ProfileOptions {
  name?: string;
  position?: string;
  phone?: string;
  mobile?: string;
  avatar?: string;
}

function profileOptions(command: Command): Command {
  return command
    .option('--position <position>', 'job title')
    .option('--phone <phone>')
    .option('--mobile <mobile>')
    .option('--avatar <url>', 'picture URL');
}

/** One of two opposite flags, or neither; both at once is an error. */
function eitherFlag(on: boolean | undefined, off: boolean | undefined, names: string): boolean | undefined {
  if (on && off) fail('INVALID_VALUE', `options: ${names} exclude each other`);
  return on ? true : off ? false : undefined;
}

export function accountCommands(program: Command): void {
  const account = program.command('account').description('create, list, show and change accounts');

  withDb(profileOptions(account.command('create')))
    .description('create an account and print it, with its talk-to-me identifier')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .option('--company <companyId>', 'the company the account belongs to (none if left out)')
    .option('--verified', 'the email address is verified')
    .option('--locked', 'the account is locked')
    .action(
      (
        options: ProfileOptions & {
          email: string;
          name: string;
          company?: string;
          verified?: boolean;
          locked?: boolean;
        } & DbOption,
      ) =>
        withStore(options, async (store) => {
          const input = {
            ...options,
            companyId: options.company,
            verified: options.verified ?? false,
            locked: options.locked ?? false,
          };
          printJson(await createAccount(store.db, input, cliChange()));
        }),
    );

  withDb(profileOptions(account.command('update')))
    .description('change an account’s profile, verification, lock or online state')
    .argument('<email>')
    .option('--name <name>')
    .option('--verified', 'mark the email address verified')
    .option('--unverified', 'mark the email address unverified')
    .option('--lock', 'lock the account')
    .option('--unlock', 'unlock the account')
    .option('--online-state <state>', 'ONLINE, AWAY or OFFLINE')
    .action((email: string, options: ProfileOptions & DbOption & Record<string, string | boolean | undefined>) =>
      withStore(options, async (store) => {
        const profile: AccountProfile = {
          name: options.name,
          position: options.position,
          phone: options.phone,
          mobile: options.mobile,
          avatar: options.avatar,
          verified: eitherFlag(
            options.verified as boolean,
            options.unverified as boolean,
            '--verified and --unverified',
          ),
          locked: eitherFlag(options.lock as boolean, options.unlock as boolean, '--lock and --unlock'),
          onlineState: options.onlineState as string | undefined,
        };
        printJson(await updateAccount(store.db, email, profile, cliChange()));
      }),
    );

  withDb(account.command('show'))
    .description('show one account')
    .argument('<email>')
    .action((email: string, options) =>
      withStore(options, async (store) => printJson(await getAccount(store.db, email))),
    );

  withDb(account.command('list'))
    .description('list accounts, of one company or all')
    .option('--company <companyId>')
    .action((options: { company?: string } & DbOption) =>
      withStore(options, async (store) => printJson(await listAccounts(store.db, options.company))),
    );
}
