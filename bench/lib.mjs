// Shared helpers of the benchmark suite (bench/run.mjs): processes, pinning, ports, sizes, machine facts.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = dirname(BENCH_DIR);
export const HOST = '127.0.0.1';

/** Every child process the suite started, so that an early exit never leaves one behind. */
const children = new Set();

export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function killChildren() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function hasCommand(name) {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

let canPin;
/** `taskset -c CORES command...` when taskset exists and the machine has the core; else the bare command. */
export function pinned(cores, command, args) {
  canPin ??= hasCommand('taskset');
  const highest = Math.max(...String(cores).split(/[,-]/).map(Number));
  if (!canPin || cores === undefined || highest >= os.cpus().length) return { command, args };
  return { command: 'taskset', args: ['-c', String(cores), command, ...args] };
}

/** A TCP port that is free on the loopback address right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** One GET to the loopback address; resolves with status and body, rejects on a connection error. */
export function get(port, path, headers = {}, timeoutMs = 2_000) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: HOST, port, path, headers, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end();
  });
}

/** Sends one request (method, path, headers, body) to the loopback address. */
export function send(port, { method, path, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: HOST, port, path, method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.setTimeout(5_000, () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Starts a server process and resolves once `path` answers 200 (polled every 2 ms), with the time
 * from spawn to that first answer. Fails after `timeoutMs`.
 */
export async function startServer({ command, args, env, port, path, logFile, timeoutMs = 60_000 }) {
  const { createWriteStream } = await import('node:fs');
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined;
  const started = performance.now();
  const child = track(
    spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  if (log) {
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  } else {
    child.stdout.resume();
    child.stderr.resume();
  }
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  while (performance.now() - started < timeoutMs) {
    if (exited)
      throw new Error(`${command} ${args.join(' ')} exited before answering (see ${logFile ?? 'its output'})`);
    try {
      const response = await get(port, path, {}, 1_000);
      if (response.status === 200) return { child, firstAnswerMs: performance.now() - started };
      throw new Error(`first answer of ${path} was ${response.status}: ${response.body.slice(0, 200)}`);
    } catch (error) {
      if (!['ECONNREFUSED', 'ECONNRESET'].includes(error.code)) throw error;
      await sleep(2);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${command} did not answer within ${timeoutMs} ms`);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export function stopProcess(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** VmRSS and VmHWM of a process, in KiB (undefined when it is gone or /proc is missing). */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
  } catch {
    return undefined;
  }
}

/** A process and its descendants (the workers of `serve --workers N`), from the parent ids in /proc. */
export function processTree(pid) {
  const parents = new Map();
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parents.set(Number(entry), ppid);
      } catch {
        // gone meanwhile
      }
    }
  } catch {
    return [pid];
  }
  const tree = [pid];
  for (let k = 0; k < tree.length; k++) {
    for (const [child, parent] of parents) if (parent === tree[k]) tree.push(child);
  }
  return tree;
}

/** Samples the RSS of a process with its descendants every `everyMs`; `stop()` returns the peak seen, in KiB. */
export function sampleRss(pid, everyMs = 250) {
  let peak = 0;
  const take = () => {
    const total = processTree(pid).reduce((sum, id) => sum + (memoryOf(id)?.rssKb ?? 0), 0);
    if (total > peak) peak = total;
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    peek: () => peak,
    stop: () => {
      clearInterval(timer);
      take();
      return peak;
    },
  };
}

/** Bytes of a SQLite database with its WAL and shared-memory files. */
export function sqliteBytes(file) {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) total += statSync(file + suffix).size;
  return total;
}

/** The commit checked out, read from .git without running git. */
export function currentCommit() {
  try {
    const gitDir = join(ROOT, '.git');
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return head;
    const ref = head.slice(5);
    if (existsSync(join(gitDir, ref))) return readFileSync(join(gitDir, ref), 'utf8').trim();
    const packed = readFileSync(join(gitDir, 'packed-refs'), 'utf8');
    return (
      packed
        .split('\n')
        .find((line) => line.endsWith(` ${ref}`))
        ?.split(' ')[0] ?? `unknown (${ref})`
    );
  } catch {
    return 'unknown';
  }
}

function commandOutput(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (error) {
    return `${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || undefined;
  }
}

/** What the numbers were measured on. */
export function machineFacts() {
  const cpus = os.cpus();
  const wrk = hasCommand('wrk') ? commandOutput('wrk', ['-v'])?.split('\n')[0] : undefined;
  return {
    cpu: `${cpus[0]?.model ?? 'unknown'} (${cpus.length} cores)`,
    memory: `${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    wrk: wrk ?? 'not installed',
    disk: commandOutput('df', ['-hT', ROOT])?.split('\n')[1]?.replace(/\s+/g, ' '),
    loadAverage: os.loadavg().map((value) => value.toFixed(2)),
  };
}

export function median(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function formatBytes(bytes) {
  if (bytes === undefined) return 'n/a';
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(2)} GiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
