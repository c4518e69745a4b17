import { connect } from 'node:net';
import { defineConfig } from 'vitest/config';

const TEST_PG = process.env.SWITCHBOARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether a PostgreSQL server answers at the test URL's host and port (a TCP connect, 2 s at most). */
function reachable(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 5432), timeout: 2_000 });
    const answer = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => answer(true));
    socket.once('error', () => answer(false));
    socket.once('timeout', () => answer(false));
  });
}

const common = { testTimeout: 30_000, hookTimeout: 30_000, globalSetup: ['test/global-setup.ts'] };

export default defineConfig(async () => {
  const postgres = process.env.SWITCHBOARD_TEST_SKIP_PG ? false : await reachable(TEST_PG);
  if (!postgres) {
    console.log(`PostgreSQL is not reachable at ${new URL(TEST_PG).host}: the suite runs on SQLite only.`);
  }
  return {
    test: {
      projects: [
        {
          test: {
            ...common,
            name: 'sqlite',
            include: ['test/**/*.test.ts'],
            env: { SWITCHBOARD_TEST_DIALECT: 'sqlite' },
          },
        },
        ...(postgres
          ? [
              {
                test: {
                  ...common,
                  name: 'postgres',
                  // Pure domain rules and SQLite's own file format do not depend on the database server.
                  include: ['test/**/*.test.ts'],
                  exclude: ['test/domain/**', 'test/store/sqlite.test.ts'],
                  env: { SWITCHBOARD_TEST_DIALECT: 'postgres', SWITCHBOARD_TEST_PG: TEST_PG },
                },
              },
            ]
          : []),
      ],
    },
  };
});
