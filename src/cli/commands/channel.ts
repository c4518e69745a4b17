import type { Command } from 'commander';
import { addChannelMember, createChannel, listChannels, removeChannelMember } from '../../service/channels.js';
import { cliChange, type DbOption, printJson, withDb, withStore } from '../run.js';

const collect = (value: string, previous: string[]) => [...previous, value];

export function channelCommands(program: Command): void {
  const channel = program.command('channel').description('create channels and manage their members');

  withDb(channel.command('create'))
    .description('create a channel of a company')
    .requiredOption('--company <companyId>')
    .requiredOption('--name <name>')
    .option('--member <email>', 'a member (repeatable)', collect, [])
    .action((options: { company: string; name: string; member: string[] } & DbOption) =>
      withStore(options, async (store) => {
        const input = { companyId: options.company, name: options.name, members: options.member };
        printJson(await createChannel(store.db, input, cliChange()));
      }),
    );

  withDb(channel.command('add-member'))
    .description('add an account of the channel’s company to the channel')
    .argument('<channelId>')
    .argument('<email>')
    .action((id: string, email: string, options) =>
      withStore(options, async (store) => printJson(await addChannelMember(store.db, id, email, cliChange()))),
    );

  withDb(channel.command('remove-member'))
    .description('remove an account from the channel')
    .argument('<channelId>')
    .argument('<email>')
    .action((id: string, email: string, options) =>
      withStore(options, async (store) => printJson(await removeChannelMember(store.db, id, email, cliChange()))),
    );

  withDb(channel.command('list'))
    .description('list the channels of a company with their members')
    .requiredOption('--company <companyId>')
    .action((options: { company: string } & DbOption) =>
      withStore(options, async (store) => printJson(await listChannels(store.db, options.company))),
    );
}
