// The benchmark suite of Switchboard (issue 6): `npm run bench` (full) or `npm run bench -- --quick`.
//
// A plain node:http baseline and Switchboard run side by side, pinned to core 0; the load generator
// (wrk with bench/wrk/switchboard.lua, else autocannon) runs pinned to core 1. Scenarios are
// interleaved in short rounds, and each is reported as the median of its per-round ratios to the
// baseline: absolute numbers on a shared machine swing up to 2x within minutes, ratios do not.
// Traffic goes only to 127.0.0.1; every run, load generator and the suite itself are bounded in time.
//
// Options (all optional):
//   --quick                 3 rounds x 2 s, scales 1k and 100k, PostgreSQL at 1k, no profile
//   --rounds N --seconds S  rounds and seconds per scenario and round (full: 10 x 4)
//   --connections N         concurrent connections (50)
//   --scales 1k,100k,1m     account counts of the SQLite runs
//   --scenarios a,b         a subset of bench/scenarios.mjs
//   --pg-url URL            PostgreSQL server (postgres://postgres@127.0.0.1:5432/test); schema `bench`
//   --pg-scale 100k         account count of the PostgreSQL run; --skip-pg to leave it out
//   --tool wrk|autocannon   load generator (default: wrk when installed)
//   --install-wrk           apt-get install wrk when it is missing (else the suite falls back to autocannon)
//   --profile-seconds S     CPU profile of the server per scenario (0 to skip; full: 8)
//   --skip-micro            leave out the micro-benchmarks of the hot path
//   --max-minutes M         stop measuring after M minutes (quick 20, full 80); the suite exits by itself
//   --out DIR               work files and databases (bench/out)
//   --results PATH.md       report (full: bench/RESULTS.md, quick: bench/out/RESULTS-quick.md); JSON beside it
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BENCH_DIR,
  currentCommit,
  freePort,
  hasCommand,
  killChildren,
  machineFacts,
  median,
  memoryOf,
  pinned,
  processTree,
  ROOT,
  sampleRss,
  send,
  sqliteBytes,
  startServer,
  stopProcess,
} from './lib.mjs';
import { measure } from './load.mjs';
import { profileServer } from './profile.mjs';
import { renderReport } from './report.mjs';
import { BASELINE, checkAnswer, luaData, requestMaker, SCENARIOS } from './scenarios.mjs';
import { HOT_ACCOUNT, postgresBytes, seedPostgres, seedSqlite } from './seed.mjs';

const SERVER_CORE = '0';
/** The build under test, copied at the start: others may rebuild dist/ while the suite runs. */
let APP_DIR = ROOT;
const LOAD_CORE = '1';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    seconds: { type: 'string' },
    connections: { type: 'string', default: '50' },
    scales: { type: 'string' },
    scenarios: { type: 'string' },
    'pg-url': { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    'pg-scale': { type: 'string' },
    'skip-pg': { type: 'boolean', default: false },
    tool: { type: 'string' },
    'install-wrk': { type: 'boolean', default: false },
    'profile-seconds': { type: 'string' },
    'skip-micro': { type: 'boolean', default: false },
    'max-minutes': { type: 'string' },
    'with-limits': { type: 'boolean', default: false },
    out: { type: 'string', default: join(BENCH_DIR, 'out') },
    results: { type: 'string' },
  },
});

const quick = options.quick;
const settings = {
  mode: quick ? 'quick' : 'full',
  rounds: Number(options.rounds ?? (quick ? 3 : 10)),
  seconds: Number(options.seconds ?? (quick ? 2 : 4)),
  warmupSeconds: quick ? 1 : 2,
  connections: Number(options.connections),
  scales: (options.scales ?? (quick ? '1k,100k' : '1k,100k,1m')).split(',').map(parseScale),
  pgScale: parseScale(options['pg-scale'] ?? (quick ? '1k' : '100k')),
  profileSeconds: Number(options['profile-seconds'] ?? (quick ? 0 : 8)),
  profileScale: 100_000,
  coldStarts: quick ? 2 : 3,
  maxMinutes: Number(options['max-minutes'] ?? (quick ? 20 : 80)),
};
const scenarios = options.scenarios
  ? SCENARIOS.filter((scenario) => options.scenarios.split(',').includes(scenario.name))
  : SCENARIOS;
const outDir = options.out;
const resultsMd = options.results ?? (quick ? join(outDir, 'RESULTS-quick.md') : join(BENCH_DIR, 'RESULTS.md'));
const resultsJson = resultsMd.replace(/\.md$/, '.json').replace(/RESULTS/, 'results');
const started = Date.now();
const deadline = started + settings.maxMinutes * 60_000;
const notes = [];

function parseScale(text) {
  const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!match) throw new Error(`not a scale: ${text} (use e.g. 1k, 100k, 1m or 5000)`);
  return Math.round(Number(match[1]) * { '': 1, k: 1e3, m: 1e6 }[match[2].toLowerCase()]);
}

const scaleLabel = (n) => (n >= 1e6 ? `${n / 1e6}m` : n >= 1e3 ? `${n / 1e3}k` : String(n));
const log = (...args) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s]`, ...args);
const timeLeft = () => deadline - Date.now();

// The suite stops by itself: a hard limit 5 minutes past --max-minutes ends it whatever it is doing.
const hardStop = setTimeout(
  () => {
    console.error('bench: hard time limit reached, stopping');
    killChildren();
    process.exit(3);
  },
  (settings.maxMinutes + 5) * 60_000,
);
hardStop.unref();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killChildren();
    process.exit(130);
  });
}
process.once('exit', killChildren);

function chooseTool() {
  if (options.tool) return options.tool;
  if (hasCommand('wrk')) return 'wrk';
  if (options['install-wrk']) {
    log('wrk is missing: apt-get install -y wrk');
    spawnSync('apt-get', ['install', '-y', 'wrk'], { stdio: 'inherit' });
    if (hasCommand('wrk')) return 'wrk';
  }
  notes.push('wrk is not installed (`apt-get install wrk`, or `--install-wrk`): autocannon generated the load.');
  log('wrk is not installed (apt-get install wrk, or run with --install-wrk): falling back to autocannon');
  return 'autocannon';
}

function serveHelp() {
  try {
    return execFileSync(process.execPath, [join(APP_DIR, 'bin', 'switchboard.js'), 'serve', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
  } catch {
    return '';
  }
}

function isAccountPath(data) {
  const company = data.companies[0];
  return `/api/is-account?companyId=${company.id}&email=u0@c0.bench.test&key=${company.token}`;
}

function serverCommand(phase, port, extraNodeArgs = []) {
  return pinned(phase.serverCores, process.execPath, [
    ...extraNodeArgs,
    join(APP_DIR, 'bin', 'switchboard.js'),
    'serve',
    '--db',
    phase.location,
    '--port',
    String(port),
    ...phase.serveArgs,
  ]);
}

// The load generator is one client address sending as fast as it can: the per-address and per-company
// rate limits and the load shedding would answer it 429 and 503 and the suite would measure those.
// They are switched off unless --with-limits; every non-2xx answer is counted and shown anyway.
const SERVER_ENV = options['with-limits']
  ? { SWITCHBOARD_LOG_LEVEL: 'warn' }
  : {
      SWITCHBOARD_LOG_LEVEL: 'warn',
      SWITCHBOARD_RATE_LIMIT_PUBLIC: '0',
      SWITCHBOARD_RATE_LIMIT_COMPANY: '0',
      SWITCHBOARD_RATE_LIMIT_AUTH_FAILURES: '0',
      SWITCHBOARD_OVERLOAD_DELAY_MS: '0',
    };

async function startSwitchboard(phase, data, extraNodeArgs = []) {
  const port = await freePort();
  const { command, args } = serverCommand(phase, port, extraNodeArgs);
  const server = await startServer({
    command,
    args,
    env: SERVER_ENV,
    port,
    path: isAccountPath(data),
    logFile: join(phase.dir, 'server.log'),
  });
  return { ...server, port };
}

/** Sends a few requests of every scenario and checks their answers before anything is measured. */
async function smokeCheck(port, data) {
  const makers = requestMaker(data, HOT_ACCOUNT);
  const problems = [];
  for (const scenario of scenarios) {
    for (let k = 0; k < 20; k++) {
      const request = makers[scenario.name]();
      const problem = checkAnswer(request, await send(port, request));
      if (problem) {
        problems.push(`${scenario.name}: ${request.method} ${request.path.replace(/key=\w+/, 'key=...')}: ${problem}`);
        break;
      }
    }
  }
  return problems;
}

function shuffle(list) {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** Median of per-round ratios to the baseline of the same round, and the other per-scenario figures. */
function summarize(rounds) {
  const summary = {};
  for (const scenario of [BASELINE, ...scenarios]) {
    const runs = rounds.map((round) => ({ run: round.results[scenario.name], base: round.results.baseline }));
    const valid = runs.filter(({ run }) => run);
    if (valid.length === 0) continue;
    const ratios = valid.filter(({ base }) => base).map(({ run, base }) => run.rps / base.rps);
    const p99Ratios = valid.filter(({ base }) => base).map(({ run, base }) => run.latencyUs.p99 / base.latencyUs.p99);
    summary[scenario.name] = {
      kind: scenario.kind,
      rounds: valid.length,
      medianRps: median(valid.map(({ run }) => run.rps)),
      medianRatio: median(ratios),
      minRatio: Math.min(...ratios),
      maxRatio: Math.max(...ratios),
      medianP50Us: median(valid.map(({ run }) => run.latencyUs.p50)),
      medianP99Us: median(valid.map(({ run }) => run.latencyUs.p99)),
      medianP99Ratio: median(p99Ratios),
      non2xx: valid.reduce((sum, { run }) => sum + run.non2xx, 0),
      errors: valid.reduce((sum, { run }) => sum + run.errors, 0),
    };
  }
  return summary;
}

async function runPhase(phase, tool, baselinePort) {
  mkdirSync(phase.dir, { recursive: true });
  const result = {
    label: phase.label,
    store: phase.store,
    accounts: phase.accounts,
    serveArgs: phase.serveArgs,
    serverCores: phase.serverCores,
  };
  log(`${phase.label}: seeding ${phase.accounts.toLocaleString('en')} accounts (${phase.store})`);
  const data =
    phase.store === 'postgres'
      ? await seedPostgres(phase.location, phase.accounts)
      : await seedSqlite(phase.location, phase.accounts);
  const dataFile = join(phase.dir, 'data.lua');
  writeFileSync(dataFile, luaData(data, HOT_ACCOUNT));
  writeFileSync(join(phase.dir, 'data.json'), JSON.stringify({ ...data, hot: HOT_ACCOUNT }));
  const dbBytes = () => (phase.store === 'postgres' ? postgresBytes(phase.location) : sqliteBytes(phase.location));
  Object.assign(result, {
    companies: data.companyCount,
    seedMs: Math.round(data.seedMs),
    dbBytesSeeded: await dbBytes(),
  });
  log(
    `${phase.label}: seeded in ${(data.seedMs / 1000).toFixed(1)} s, ${(result.dbBytesSeeded / 2 ** 20).toFixed(0)} MiB`,
  );

  result.coldStartMs = [];
  for (let k = 0; k < settings.coldStarts; k++) {
    const server = await startSwitchboard(phase, data);
    result.coldStartMs.push(Math.round(server.firstAnswerMs));
    result.idleRssKb ??= processTree(server.child.pid).reduce((sum, pid) => sum + (memoryOf(pid)?.rssKb ?? 0), 0);
    await stopProcess(server.child);
  }
  log(`${phase.label}: cold start to first answer ${result.coldStartMs.join(', ')} ms`);

  const server = await startSwitchboard(phase, data);
  result.smokeProblems = await smokeCheck(server.port, data);
  if (result.smokeProblems.length > 0) log(`${phase.label}: WRONG ANSWERS`, result.smokeProblems);
  const rss = sampleRss(server.child.pid);
  const target = (scenario) => (scenario.name === 'baseline' ? baselinePort : server.port);
  const run = (scenario, seconds) =>
    measure({
      tool,
      port: target(scenario),
      scenario: scenario.name === 'baseline' ? 'is-account-hit' : scenario.name,
      dataFile,
      seconds,
      connections: settings.connections,
      core: LOAD_CORE,
    });
  for (const scenario of [BASELINE, ...scenarios]) await run(scenario, settings.warmupSeconds);

  result.rounds = [];
  const roundSeconds = (scenarios.length + 1) * (settings.seconds + 0.5);
  for (let r = 0; r < settings.rounds; r++) {
    if (timeLeft() < roundSeconds * 1000) {
      notes.push(
        `${phase.label}: stopped after ${r} of ${settings.rounds} rounds (--max-minutes ${settings.maxMinutes}).`,
      );
      break;
    }
    const round = { round: r + 1, loadAverage: os.loadavg()[0], order: [], results: {} };
    for (const scenario of shuffle([BASELINE, ...scenarios])) {
      round.order.push(scenario.name);
      round.results[scenario.name] = await run(scenario, settings.seconds);
    }
    result.rounds.push(round);
    const hit = round.results['is-account-hit'];
    log(
      `${phase.label}: round ${r + 1}/${settings.rounds}: baseline ${Math.round(round.results.baseline.rps)} req/s` +
        (hit ? `, is-account ${(hit.rps / round.results.baseline.rps).toFixed(2)}x` : '') +
        ` (load ${round.loadAverage.toFixed(1)})`,
    );
  }
  result.peakRssKb = rss.stop();
  result.hwmKb = memoryOf(server.child.pid)?.hwmKb;
  await stopProcess(server.child);
  result.dbBytesAfter = await dbBytes();
  result.summary = summarize(result.rounds);

  if (settings.profileSeconds > 0 && phase.profile) {
    result.profiles = {};
    log(`${phase.label}: CPU profile of the baseline (${settings.profileSeconds} s)`);
    result.profiles.baseline = await profileServer({
      start: async (nodeArgs) => {
        const port = await freePort();
        const script = join(BENCH_DIR, 'baseline-server.mjs');
        const { command, args } = pinned(SERVER_CORE, process.execPath, [...nodeArgs, script, '--port', String(port)]);
        return { ...(await startServer({ command, args, port, path: '/?email=x', env: {} })), port };
      },
      load: (port, seconds) =>
        measure({
          tool,
          port,
          scenario: 'is-account-hit',
          dataFile,
          seconds,
          connections: settings.connections,
          core: LOAD_CORE,
        }),
      seconds: settings.profileSeconds,
      dir: join(phase.dir, 'profile', 'baseline'),
    });
    for (const name of ['is-account-hit', 'person-info-public', 'out-of-office', 'mix-90-10']) {
      if (!scenarios.some((scenario) => scenario.name === name) || timeLeft() < 60_000) continue;
      log(`${phase.label}: CPU profile of ${name} (${settings.profileSeconds} s)`);
      result.profiles[name] = await profileServer({
        start: (nodeArgs) => startSwitchboard(phase, data, nodeArgs),
        load: (port, seconds) =>
          measure({
            tool,
            port,
            scenario: name,
            dataFile,
            seconds,
            connections: settings.connections,
            core: LOAD_CORE,
          }),
        seconds: settings.profileSeconds,
        dir: join(phase.dir, 'profile', name),
      });
    }
    log(`${phase.label}: CPU profile of a cold start`);
    result.profiles.startup = await profileServer({
      start: (nodeArgs) => startSwitchboard(phase, data, nodeArgs),
      seconds: 0,
      dir: join(phase.dir, 'profile', 'startup'),
    });
  }
  if (phase.micro && !options['skip-micro']) {
    log(`${phase.label}: micro-benchmarks of the hot path`);
    const { command, args } = pinned(SERVER_CORE, process.execPath, [
      join(BENCH_DIR, 'micro.mjs'),
      phase.location,
      join(phase.dir, 'data.json'),
    ]);
    const micro = spawnSync(command, args, {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 180_000,
      env: { ...process.env, BENCH_APP_DIR: APP_DIR },
    });
    const line = micro.stdout?.split('\n').find((text) => text.startsWith('MICRO_RESULT '));
    result.micro = line ? JSON.parse(line.slice('MICRO_RESULT '.length)) : { error: micro.stderr?.slice(0, 500) };
    result.micro.phase = phase.label;
  }
  return result;
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  APP_DIR = join(outDir, 'app');
  rmSync(APP_DIR, { recursive: true, force: true });
  for (const part of ['dist', 'bin', 'package.json'])
    cpSync(join(ROOT, part), join(APP_DIR, part), { recursive: true });
  const tool = chooseTool();
  const results = {
    date: new Date().toISOString(),
    commit: currentCommit(),
    machine: machineFacts(),
    settings: { ...settings, tool, scenarios: scenarios.map((s) => s.name) },
    commands: {
      suite: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      server: `${Object.entries(SERVER_ENV)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')} taskset -c ${SERVER_CORE} node bin/switchboard.js serve --db <file> --port <port>`,
      baseline: `taskset -c ${SERVER_CORE} node bench/baseline-server.mjs --port <port>`,
      load:
        tool === 'wrk'
          ? `taskset -c ${LOAD_CORE} wrk -t1 -c${settings.connections} -d${settings.seconds}s --timeout 5s -s bench/wrk/switchboard.lua http://127.0.0.1:<port> -- <scenario> bench/out/<phase>/data.lua`
          : `taskset -c ${LOAD_CORE} node bench/autocannon-runner.mjs '{"scenario":"<scenario>",...}'`,
      seed: 'node bench/seed.mjs --db <file or postgres URL> --accounts <n>',
    },
    scenarios: [BASELINE, ...scenarios],
    phases: [],
    notes,
  };
  log(
    `mode ${settings.mode}, ${settings.rounds} rounds x ${settings.seconds} s, ${settings.connections} connections,`,
    tool,
  );

  const baselinePort = await freePort();
  const baseline = pinned(SERVER_CORE, process.execPath, [
    join(BENCH_DIR, 'baseline-server.mjs'),
    '--port',
    String(baselinePort),
  ]);
  const baselineServer = await startServer({ ...baseline, port: baselinePort, path: '/?email=x', env: {} });

  const phases = settings.scales.map((accounts) => ({
    label: `sqlite-${scaleLabel(accounts)}`,
    store: 'sqlite',
    accounts,
    location: join(outDir, `sqlite-${scaleLabel(accounts)}`, 'bench.db'),
    dir: join(outDir, `sqlite-${scaleLabel(accounts)}`),
    serverCores: SERVER_CORE,
    serveArgs: [],
    profile: accounts === settings.profileScale,
    micro: accounts === settings.profileScale || (quick && accounts === settings.scales.at(-1)),
  }));

  const pgReachable = !options['skip-pg'] && (await reachable(options['pg-url']));
  if (pgReachable) {
    const url = new URL(options['pg-url']);
    url.searchParams.set('schema', 'bench');
    phases.push({
      label: `postgres-${scaleLabel(settings.pgScale)}`,
      store: 'postgres',
      accounts: settings.pgScale,
      location: url.toString(),
      dir: join(outDir, `postgres-${scaleLabel(settings.pgScale)}`),
      serverCores: SERVER_CORE,
      serveArgs: [],
    });
  } else {
    notes.push(
      options['skip-pg']
        ? 'PostgreSQL variant skipped (--skip-pg).'
        : `PostgreSQL variant skipped: no server answers at ${new URL(options['pg-url']).host}.`,
    );
  }
  if (serveHelp().includes('--workers')) {
    const accounts = settings.scales.includes(100_000) ? 100_000 : settings.scales[0];
    phases.push({
      label: `sqlite-${scaleLabel(accounts)}-workers-2`,
      store: 'sqlite',
      accounts,
      location: join(outDir, `sqlite-${scaleLabel(accounts)}-workers-2`, 'bench.db'),
      dir: join(outDir, `sqlite-${scaleLabel(accounts)}-workers-2`),
      // Two workers need two cores: the server gets both, and shares core 1 with the load generator,
      // while the baseline keeps one core: its ratios are not comparable with the single-process runs.
      serverCores: '0,1',
      serveArgs: ['--workers', '2'],
    });
  } else {
    notes.push('`serve --workers 2` variant skipped: `switchboard serve --help` has no --workers option yet.');
  }

  try {
    for (const phase of phases) {
      if (timeLeft() < 60_000) {
        notes.push(`${phase.label}: skipped, out of time (--max-minutes ${settings.maxMinutes}).`);
        continue;
      }
      try {
        results.phases.push(await runPhase(phase, tool, baselinePort));
      } catch (error) {
        notes.push(`${phase.label}: failed: ${error.message}`);
        log(`${phase.label}: FAILED`, error);
      }
      // Databases of the SQLite runs are large and written anew by every run; the rest stays for inspection.
      if (phase.store === 'sqlite') {
        for (const suffix of ['', '-wal', '-shm']) rmSync(phase.location + suffix, { force: true });
      }
      writeOut(results);
    }
  } finally {
    await stopProcess(baselineServer.child);
  }
  results.durationMinutes = Number(((Date.now() - started) / 60_000).toFixed(1));
  writeOut(results);
  log(`done in ${results.durationMinutes} min: ${relative(ROOT, resultsMd)}, ${relative(ROOT, resultsJson)}`);
}

function writeOut(results) {
  mkdirSync(join(resultsMd, '..'), { recursive: true });
  writeFileSync(resultsJson, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(resultsMd, renderReport(results, relative(join(resultsMd, '..'), resultsJson)));
  // Biome formats JSON and Markdown too; keep the committed files as `npm run lint` wants them.
  spawnSync(join(ROOT, 'node_modules', '.bin', 'biome'), ['format', '--write', resultsJson, resultsMd], { cwd: ROOT });
}

async function reachable(location) {
  const { connect } = await import('node:net');
  const { hostname, port } = new URL(location);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) {
    notes.push(`PostgreSQL variant skipped: ${hostname} is not a loopback address.`);
    return false;
  }
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || 5432), timeout: 2_000 });
    const answer = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => answer(true));
    socket.once('error', () => answer(false));
    socket.once('timeout', () => answer(false));
  });
}

await main();
process.exit(0);
