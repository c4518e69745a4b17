import type { Command } from 'commander';
import { buildApp } from '../../http/app.js';
import { configFromEnv } from '../../http/config.js';
import { openStore } from '../../store/store.js';
import { demoInstructions, seedDemo } from '../demo.js';
import { cliChange, databaseLocation, reportFailure, wholeNumber, withDb } from '../run.js';

interface ServeOptions {
  db?: string;
  port: number;
  host: string;
  demo?: boolean;
}

export function serveCommand(program: Command): void {
  withDb(program.command('serve'))
    .description('run the HTTP service')
    .option('--port <port>', 'port to listen on (env PORT)', wholeNumber('--port'), Number(process.env.PORT ?? 8080))
    .option('--host <host>', 'address to listen on (env HOST)', process.env.HOST ?? '127.0.0.1')
    .option('--demo', 'create a demo company in an empty database and print ready-to-paste curl lines')
    .action((options: ServeOptions) => serve(options).catch(reportFailure));
}

async function serve(options: ServeOptions): Promise<void> {
  const config = configFromEnv(process.env);
  const store = await openStore(databaseLocation(options));
  const app = await buildApp({ store, config });
  const closeAll = async () => {
    await app.close();
    await store.close();
  };
  try {
    if (options.demo) await seedDemo(store.db, cliChange());
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await closeAll();
    throw error;
  }
  if (options.demo) {
    const address = options.host.includes(':') ? `[${options.host}]` : options.host;
    const lines = await demoInstructions(store.db, `http://${address}:${options.port}`, new Date());
    if (lines) process.stdout.write(`\n${lines}\n`);
  }
  // SIGTERM and SIGINT stop accepting connections, let requests in flight finish, then close the database.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      closeAll().then(
        () => process.exit(0),
        (error) => {
          reportFailure(error);
          process.exit(1);
        },
      );
    });
  }
}
