// CPU profiles of the server under load (node --cpu-prof), summarised from the .cpuprofile JSON:
// self time per function, self time per package or runtime category, and the inclusive share of the
// parts of the hot path that optimisations would target. Used by bench/run.mjs; on its own:
//
//   node bench/profile.mjs bench/out/sqlite-100k/profile/is-account-hit/<file>.cpuprofile
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, sleep, stopProcess } from './lib.mjs';

const WARMUP_SECONDS = 2;

/**
 * Starts the server with --cpu-prof, loads it (after a warm-up) for `seconds`, stops it, and
 * summarises the samples taken while the measured load ran (or, with no load, the whole start).
 */
export async function profileServer({ start, load, seconds, dir }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const spawned = performance.now();
  const server = await start(['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=250']);
  let window;
  let measured;
  if (load && seconds > 0) {
    await load(server.port, WARMUP_SECONDS);
    const from = performance.now() - spawned;
    measured = await load(server.port, seconds);
    window = { fromMs: from + 100, toMs: performance.now() - spawned - 100 };
  } else {
    await sleep(50);
  }
  await stopProcess(server.child);
  const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
  if (!file) return { error: 'no .cpuprofile written' };
  const summary = summarizeProfile(join(dir, file), window);
  if (measured) {
    summary.requests = measured.rps * summary.windowMs * 1e-3;
    summary.rps = measured.rps;
    summary.cpuUsPerRequest = (summary.busyMs * 1e3) / summary.requests;
  }
  if (!window) summary.firstAnswerMs = Math.round(server.firstAnswerMs);
  summary.file = file;
  return summary;
}

const SQLITE_DRIVER = '/kysely/dist/esm/dialect/sqlite/sqlite-driver.js';
const BETTER_SQLITE_WRAPPERS = '/better-sqlite3/lib/methods/wrappers.js';

// Native functions of an addon have no frame of their own: V8 charges their time to the JavaScript
// frame that called them. Kysely's SqliteDriver executeQuery calls stmt.all()/stmt.run() (SQLite
// itself, and the fsync of a commit), better-sqlite3's prepare() wrapper compiles the statement.
const isSqliteExecution = (f) => f.functionName === 'executeQuery' && f.url.endsWith(SQLITE_DRIVER);
const isSqlitePrepare = (f) => f.functionName === 'prepare' && f.url.endsWith(BETTER_SQLITE_WRAPPERS);

/** The package or runtime part a frame belongs to. */
export function categoryOf(frame) {
  const { functionName, url } = frame;
  if (isSqliteExecution(frame)) return 'SQLite: statement execution, incl. commit fsync (native)';
  if (isSqlitePrepare(frame)) return 'SQLite: prepare, once per query (native)';
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'V8/native (program)';
    return `native: ${functionName || '(anonymous)'}`;
  }
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 14).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0 && url.includes(ROOT)) return `switchboard dist/${url.slice(dist + 6).split('/')[0]}`;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  return url;
}

/** Inclusive shares that the optimisation proposals refer to: frames matched anywhere on the stack. */
const INCLUSIVE = {
  'token check (isValidAccessToken: 3 days x 2 hashes)': (f) => f.functionName === 'isValidAccessToken',
  'authenticate (company read + token check)': (f) => f.functionName === 'authenticateCompany',
  'Kysely, all of it (build, compile, driver, SQLite under it)': (f) => f.url.includes('/node_modules/kysely/'),
  'Kysely compileQuery': (f) => f.functionName === 'compileQuery' && f.url.includes('/kysely/'),
  'SQLite prepare (per query)': isSqlitePrepare,
  'SQLite execution (all/run, commit fsync)': isSqliteExecution,
  'request parameters (dist/http/params.js)': (f) => f.url.endsWith('/dist/http/params.js'),
  'person-info view (describePerson + localDate)': (f) => ['describePerson', 'localDate'].includes(f.functionName),
  'audit entry (recordAudit)': (f) => f.functionName === 'recordAudit',
  'response serialisation (fast-json-stringify)': (f) => f.url.includes('/fast-json-stringify/'),
  'socket writes (writev)': (f) => !f.url && f.functionName === 'writev',
  'pino (logging)': (f) => f.url.includes('/node_modules/pino'),
  'module loading (node:internal/modules)': (f) => f.url.startsWith('node:internal/modules'),
};

/**
 * Self time per function and category, and the INCLUSIVE shares, over the samples inside
 * `window` (milliseconds from the start of the profile), or over all samples.
 */
export function summarizeProfile(file, window) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const inclusive = new Map(Object.keys(INCLUSIVE).map((label) => [label, 0]));
  const matches = new Map();
  /** The INCLUSIVE labels that match a node or any of its callers. */
  const labelsOf = (id) => {
    let labels = matches.get(id);
    if (labels) return labels;
    const node = nodes.get(id);
    labels = new Set(parent.has(id) ? labelsOf(parent.get(id)) : []);
    for (const [label, test] of Object.entries(INCLUSIVE)) if (test(node.callFrame)) labels.add(label);
    matches.set(id, labels);
    return labels;
  };
  let t = 0;
  let total = 0;
  let idle = 0;
  for (let k = 0; k < profile.samples.length; k++) {
    t += profile.timeDeltas[k] / 1000;
    if (window && (t < window.fromMs || t > window.toMs)) continue;
    const duration = (profile.timeDeltas[k + 1] ?? profile.timeDeltas[k]) / 1000;
    const id = profile.samples[k];
    const frame = nodes.get(id).callFrame;
    total += duration;
    if (frame.functionName === '(idle)') idle += duration;
    const key = `${frame.functionName || '(anonymous)'}\u0000${frame.url}\u0000${frame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + duration);
    for (const label of labelsOf(id)) inclusive.set(label, inclusive.get(label) + duration);
  }
  const busy = total - idle;
  const pct = (ms) => Number(((100 * ms) / busy).toFixed(1));
  const categories = new Map();
  const functions = [];
  for (const [key, ms] of self) {
    const [functionName, url, line] = key.split('\u0000');
    const category = categoryOf({ functionName, url });
    if (category === 'idle') continue;
    categories.set(category, (categories.get(category) ?? 0) + ms);
    const where = url
      ? `${url.replace(`file://${ROOT}/`, '').replace(/^.*\/node_modules\//, '')}:${Number(line) + 1}`
      : '';
    functions.push({ name: functionName, where, selfMs: Math.round(ms), selfPct: pct(ms) });
  }
  return {
    windowMs: Math.round(total),
    busyMs: Math.round(busy),
    idlePct: Number(((100 * idle) / total).toFixed(1)),
    topSelf: functions.sort((a, b) => b.selfMs - a.selfMs).slice(0, 25),
    byCategory: [...categories]
      .map(([category, ms]) => ({ category, selfPct: pct(ms) }))
      .sort((a, b) => b.selfPct - a.selfPct)
      .slice(0, 20),
    inclusive: Object.fromEntries([...inclusive].map(([label, ms]) => [label, pct(ms)])),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node bench/profile.mjs <file.cpuprofile> [fromMs toMs]');
    process.exit(2);
  }
  const window = process.argv[3] ? { fromMs: Number(process.argv[3]), toMs: Number(process.argv[4]) } : undefined;
  console.log(
    JSON.stringify(summarizeProfile(file.startsWith('/') ? file : join(process.cwd(), file), window), null, 2),
  );
}
