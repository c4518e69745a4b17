// Micro-benchmarks of the hot path's parts, on a seeded benchmark database, for the optimisation
// proposals of bench/RESULTS.md: the token check, a read through Kysely against the same read on a
// prepared statement, Kysely's compile step, a durable write, an fsync, and module import times.
//
//   taskset -c 0 node bench/micro.mjs bench/out/sqlite-100k/bench.db bench/out/sqlite-100k/data.json
import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { ROOT } from './lib.mjs';
import { emailOf, isLocked } from './seed.mjs';

// The build under test: bench/run.mjs passes its snapshot of dist/ (others may rebuild dist/ meanwhile).
const app = pathToFileURL(`${process.env.BENCH_APP_DIR ?? ROOT}/dist/`);
const { computeAccessToken, isValidAccessToken } = await import(new URL('domain/access-token.js', app).href);
const { findAccountByEmail, findAccountProfile } = await import(new URL('store/repositories/accounts.js', app).href);
const { openStore } = await import(new URL('store/store.js', app).href);

const [location, dataFile] = process.argv.slice(2);
if (!location || !dataFile) {
  console.error('usage: node bench/micro.mjs <sqlite file> <data.json>');
  process.exit(2);
}
const data = JSON.parse(readFileSync(dataFile, 'utf8'));
const C = data.companies.length;
const N = data.accounts;
const randomAccount = () => {
  const i = Math.floor(Math.random() * N);
  return isLocked(i) ? i - 1 : i;
};

/** Microseconds per call: the median of 5 batches of `count` calls, after one warm-up batch. */
async function time(count, work) {
  const batches = [];
  for (let b = 0; b < 6; b++) {
    const started = performance.now();
    for (let k = 0; k < count; k++) await work(k);
    batches.push(((performance.now() - started) * 1000) / count);
  }
  const sorted = batches.slice(1).sort((a, b) => a - b);
  return Number(sorted[2].toFixed(2));
}

function timeSync(count, work) {
  const batches = [];
  for (let b = 0; b < 6; b++) {
    const started = performance.now();
    for (let k = 0; k < count; k++) work(k);
    batches.push(((performance.now() - started) * 1000) / count);
  }
  const sorted = batches.slice(1).sort((a, b) => a - b);
  return Number(sorted[2].toFixed(2));
}

const result = {};
const company = data.companies[0];
const apiKey = 'a'.repeat(64);
const token = computeAccessToken(apiKey, company.id, data.day, 'sha256');
const check = (dayWindow) => ({
  presented: token,
  apiKey,
  companyId: company.id,
  hash: 'sha256',
  today: data.day,
  dayWindow,
});
result.tokenWindow1Us = timeSync(20_000, () => isValidAccessToken(check(1)));
result.tokenWindow0Us = timeSync(20_000, () => isValidAccessToken(check(0)));
result.computeTokenUs = timeSync(20_000, () => computeAccessToken(apiKey, company.id, data.day, 'sha256'));

const store = await openStore(location);
const db = store.db;
const raw = new SQLite(location, { readonly: true });
const emails = Array.from({ length: 4096 }, () => emailOf(randomAccount(), C));
const byEmail = raw.prepare('select * from "accounts" where "email_key" = ?');
result.rawReadUs = timeSync(20_000, (k) => byEmail.get(emails[k % 4096]));
result.kyselyReadUs = await time(20_000, (k) => findAccountByEmail(db, emails[k % 4096]));
result.kyselyCompileUs = timeSync(20_000, (k) =>
  db
    .selectFrom('accounts')
    .selectAll()
    .where('email_key', '=', emails[k % 4096])
    .compile(),
);
const profileQuery = db
  .selectFrom('accounts as a')
  .leftJoin('companies as c', 'c.id', 'a.company_id')
  .leftJoin('accounts as s', 's.id', 'a.substitute_account_id')
  .leftJoin('channels as ch', 'ch.id', 'a.substitute_channel_id')
  .selectAll('a')
  .select(['c.name as company_name', 'c.timezone as company_timezone', 's.name as substitute_account_name'])
  .select(['s.email as substitute_account_email', 'ch.name as substitute_channel_name'])
  .where('a.talk_to_me_id', '=', data.talk[0])
  .compile();
const profileStatement = raw.prepare(profileQuery.sql);
result.rawProfileReadUs = timeSync(20_000, (k) => profileStatement.get(data.talk[k % data.talk.length]));
result.kyselyProfileReadUs = await time(20_000, (k) =>
  findAccountProfile(db, { talkToMeId: data.talk[k % data.talk.length] }),
);
// The same read with a bigger page cache, and with the file memory-mapped (no pread per page).
const tuned = (pragma) => {
  const connection = new SQLite(location, { readonly: true });
  connection.pragma(pragma);
  const statement = connection.prepare('select * from "accounts" where "email_key" = ?');
  const us = timeSync(20_000, (k) => statement.get(emails[k % 4096]));
  connection.close();
  return us;
};
result.rawReadCache64MbUs = tuned('cache_size = -65536');
result.rawReadMmapUs = tuned('mmap_size = 1073741824');
const companyStatement = raw.prepare('select * from "companies" where "id" = ?');
result.rawCompanyReadUs = timeSync(20_000, (k) => companyStatement.get(data.companies[k % C].id));
result.prepareUs = timeSync(5_000, () => raw.prepare('select * from "companies" where "id" = ?'));
raw.close();

// A durable write as the service makes it: BEGIN IMMEDIATE, read, update, audit, COMMIT (synchronous = FULL).
const writable = new SQLite(location);
writable.pragma('synchronous = FULL');
const read = writable.prepare('select * from accounts where email_key = ?');
const update = writable.prepare('update accounts set dnd = ?, updated_at = ? where id = ?');
const audit = writable.prepare(
  'insert into audit (at, actor, action, company_id, subject, before, after) values (?, ?, ?, ?, ?, ?, ?)',
);
const writeOne = (k) => {
  const row = read.get(emails[k % 4096]);
  update.run(k % 2, new Date().toISOString(), row.id);
  audit.run(new Date().toISOString(), 'bench', 'account.dnd', row.company_id, `account:${row.email}`, '{}', '{}');
};
const begin = writable.prepare('begin immediate');
const commit = writable.prepare('commit');
result.durableWriteUs = timeSync(100, (k) => {
  begin.run();
  writeOne(k);
  commit.run();
});
// The same writes, 32 to a transaction: one WAL sync for all of them (group commit), still durable.
result.groupCommit32WriteUs = timeSync(100, (k) => {
  if (k % 32 === 0) begin.run();
  writeOne(k);
  if (k % 32 === 31 || k === 99) commit.run();
});
writable.close();

const probe = join(dirname(location), 'fsync.probe');
const fd = openSync(probe, 'w');
const page = Buffer.alloc(4096, 1);
result.fsyncUs = timeSync(50, () => {
  writeSync(fd, page);
  fsyncSync(fd);
});
closeSync(fd);
rmSync(probe, { force: true });

result.kyselySqlNowUs = await time(2_000, () => sql`select 1 as one`.execute(db));
await store.close();

// Import time of the modules a cold start loads, each in a fresh process (median of 3).
result.importMs = {};
for (const specifier of [
  new URL('http/app.js', app).href,
  new URL('store/store.js', app).href,
  'fastify',
  '@fastify/swagger',
  '@fastify/swagger-ui',
  'kysely',
  'better-sqlite3',
  'pg',
  'pino',
  'typebox',
  'commander',
]) {
  const times = [];
  for (let k = 0; k < 3; k++) {
    const probeScript = `const t = performance.now(); await import(${JSON.stringify(specifier)}); console.log(performance.now() - t);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', probeScript], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    times.push(Number(run.stdout.trim()));
  }
  times.sort((a, b) => a - b);
  result.importMs[specifier.replace(app.href, './dist/')] = Number.isFinite(times[1]) ? Math.round(times[1]) : null;
}
// A bare `node -e 0`, spawn to exit: the floor of any cold start.
const bare = [];
for (let k = 0; k < 3; k++) {
  const t = performance.now();
  spawnSync(process.execPath, ['-e', '0']);
  bare.push(performance.now() - t);
}
result.bareNodeMs = Math.round(bare.sort((a, b) => a - b)[1]);

process.stdout.write(`MICRO_RESULT ${JSON.stringify(result)}\n`);
