import { Command } from 'commander';
import { accountCommands } from './commands/account.js';
import { auditCommand } from './commands/audit.js';
import { backupCommand } from './commands/backup.js';
import { callCommand } from './commands/call.js';
import { channelCommands } from './commands/channel.js';
import { companyCommands } from './commands/company.js';
import { migrateCommand } from './commands/migrate.js';
import { serveCommand } from './commands/serve.js';
import { tokenCommand } from './commands/token.js';
import { transferCommands } from './commands/transfer.js';

const program = new Command('switchboard')
  .description('Switchboard: the Accounts API service, its data and its tools')
  .showHelpAfterError();

serveCommand(program);
companyCommands(program);
accountCommands(program);
channelCommands(program);
tokenCommand(program);
callCommand(program);
auditCommand(program);
migrateCommand(program);
transferCommands(program);
backupCommand(program);

await program.parseAsync(process.argv);
