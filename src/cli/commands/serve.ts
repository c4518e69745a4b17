import cluster from 'node:cluster';
import type { Command } from 'commander';
import { configFromEnv } from '../../http/config.js';
import { openStore } from '../../store/store.js';
import { demoInstructions, seedDemo } from '../demo.js';
import { cliChange, databaseLocation, reportFailure, storeOptions, wholeNumber, withDb } from '../run.js';

interface ServeOptions {
  db?: string;
  port: number;
  host: string;
  demo?: boolean;
  workers: number;
  poolSize: number;
}

export function serveCommand(program: Command): void {
  withDb(program.command('serve'))
    .description('run the HTTP service')
    .option('--port <port>', 'port to listen on (env PORT)', wholeNumber('--port'), Number(process.env.PORT ?? 8080))
    .option('--host <host>', 'address to listen on (env HOST)', process.env.HOST ?? '127.0.0.1')
    .option('--demo', 'create a demo company in an empty database and print ready-to-paste curl lines')
    .option(
      '--workers <n>',
      'processes serving the port, e.g. one per core (env SWITCHBOARD_WORKERS)',
      wholeNumber('--workers'),
      Number(process.env.SWITCHBOARD_WORKERS ?? 1),
    )
    .option(
      '--pool-size <n>',
      'PostgreSQL connections per process (env SWITCHBOARD_DB_POOL_SIZE)',
      wholeNumber('--pool-size'),
      Number(process.env.SWITCHBOARD_DB_POOL_SIZE ?? 10),
    )
    .action((options: ServeOptions) => {
      if (options.workers < 1 || options.poolSize < 1) {
        reportFailure(new Error('--workers and --pool-size must be at least 1.'));
        return;
      }
      const run = options.workers > 1 && cluster.isPrimary ? supervise(options) : serve(options);
      return run.catch(reportFailure);
    });
}

/** One process that serves the port until SIGTERM or SIGINT. */
async function serve(options: ServeOptions): Promise<void> {
  // Loaded here, not at the top: every other command starts faster without the HTTP stack.
  const { buildApp } = await import('../../http/app.js');
  const config = configFromEnv(process.env);
  const store = await openStore(databaseLocation(options), storeOptions({ poolSize: options.poolSize }));
  const app = await buildApp({ store, config });
  const closeAll = async () => {
    // Node closes the connections that are idle when the server closes, but a keep-alive connection
    // whose request finishes later would hold the shutdown until its timeout: close those as they go idle.
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    try {
      await app.close();
    } finally {
      clearInterval(sweep);
    }
    await store.close();
  };
  try {
    if (options.demo && cluster.isPrimary) await seedDemo(store.db, cliChange());
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await closeAll();
    throw error;
  }
  if (options.demo && cluster.isPrimary) await printDemo(options);
  // Stop accepting connections, let requests in flight finish, then close the database.
  onStopSignal(() => closeAll());
}

/**
 * The primary of `--workers N`: migrates (and seeds the demo) once, then forks N workers that
 * share the port, replaces a worker that dies, and stops them all on SIGTERM or SIGINT.
 */
async function supervise(options: ServeOptions): Promise<void> {
  const store = await openStore(databaseLocation(options), storeOptions({ poolSize: 1 }));
  try {
    if (options.demo) await seedDemo(store.db, cliChange());
  } finally {
    await store.close();
  }
  let stopping = false;
  const fork = () => cluster.fork();
  cluster.on('exit', (worker, code) => {
    if (stopping) return;
    process.stderr.write(`switchboard: worker ${worker.process.pid} exited (${code}); starting another\n`);
    fork();
  });
  let listening = 0;
  cluster.on('listening', () => {
    if (++listening === options.workers && options.demo) printDemo(options).catch(reportFailure);
  });
  for (let i = 0; i < options.workers; i++) fork();
  onStopSignal(async () => {
    stopping = true;
    const workers = Object.values(cluster.workers ?? {});
    await Promise.all(
      workers.map((worker) => new Promise<void>((resolve) => worker?.once('exit', () => resolve()).kill('SIGTERM'))),
    );
  });
}

async function printDemo(options: ServeOptions): Promise<void> {
  const store = await openStore(databaseLocation(options), storeOptions({ poolSize: 1 }));
  try {
    const address = options.host.includes(':') ? `[${options.host}]` : options.host;
    const lines = await demoInstructions(store.db, `http://${address}:${options.port}`, new Date());
    if (lines) process.stdout.write(`\n${lines}\n`);
  } finally {
    await store.close();
  }
}

function onStopSignal(stop: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      stop().then(
        () => process.exit(0),
        (error) => {
          reportFailure(error);
          process.exit(1);
        },
      );
    });
  }
}
