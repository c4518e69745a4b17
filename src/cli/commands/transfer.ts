import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { type DumpLine, exportDump, importDump } from '../../store/transfer.js';
import { type DbOption, printJson, withDb, withStore } from '../run.js';

export function transferCommands(program: Command): void {
  withDb(program.command('export'))
    .description('write the whole database as JSON lines to stdout (includes API keys: keep it secret)')
    .action((options: DbOption) =>
      withStore(options, async (store) => {
        for await (const line of exportDump(store.db, new Date())) {
          if (!process.stdout.write(`${JSON.stringify(line)}\n`))
            await new Promise((resolve) => process.stdout.once('drain', resolve));
        }
      }),
    );

  withDb(program.command('import'))
    .description('load a dump from stdin into a new, empty database (all or nothing)')
    .action((options: DbOption) =>
      withStore(options, async (store) => {
        printJson({ imported: await importDump(store, readLines()) });
      }),
    );
}

async function* readLines(): AsyncGenerator<DumpLine> {
  let number = 0;
  for await (const text of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    number++;
    if (text.trim() === '') continue;
    try {
      yield JSON.parse(text) as DumpLine;
    } catch {
      throw new Error(`Line ${number} of the dump is not JSON.`);
    }
  }
}
