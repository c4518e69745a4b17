import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Names this run's PostgreSQL schemas, so that its teardown drops exactly those. */
    testRun: string;
  }
}

/** Gives the run a name, and drops its PostgreSQL schemas when every test file is done. */
export default function setup(project: TestProject) {
  const run = randomBytes(4).toString('hex');
  project.provide('testRun', run);
  return async () => {
    if (project.config.env?.SWITCHBOARD_TEST_DIALECT !== 'postgres') return;
    const client = new pg.Client({ connectionString: project.config.env.SWITCHBOARD_TEST_PG });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        "select nspname as name from pg_namespace where nspname like 't\\_' || $1 || '\\_%'",
        [run],
      );
      for (const { name } of rows) await client.query(`drop schema if exists ${name} cascade`);
    } finally {
      await client.end();
    }
  };
}
