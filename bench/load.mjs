// One measurement: `connections` keep-alive connections send a scenario's requests for `seconds`,
// from wrk (bench/wrk/switchboard.lua) or, without wrk, from autocannon in a child process. The load
// generator runs pinned to its own core; every result has the same shape.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BENCH_DIR, HOST, pinned, ROOT, track } from './lib.mjs';

const LUA = join(BENCH_DIR, 'wrk', 'switchboard.lua');

/**
 * @returns {Promise<{ rps: number, requests: number, seconds: number, errors: number, non2xx: number,
 *   latencyUs: { mean: number, p50: number, p90: number, p99: number, max: number } }>}
 */
export function measure({ tool, port, scenario, dataFile, seconds, connections, core }) {
  const url = `http://${HOST}:${port}`;
  const { command, args } =
    tool === 'wrk'
      ? pinned(core, 'wrk', [
          '-t1',
          `-c${connections}`,
          `-d${seconds}s`,
          '--timeout',
          '5s',
          '-s',
          LUA,
          url,
          '--',
          scenario,
          dataFile,
        ])
      : pinned(core, process.execPath, [
          join(BENCH_DIR, 'autocannon-runner.mjs'),
          JSON.stringify({ url, scenario, dataFile, seconds, connections }),
        ]);
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    // Bounded: a load generator that outlives its run by 20 s is killed.
    const timer = setTimeout(() => child.kill('SIGKILL'), (seconds + 20) * 1000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((text) => text.startsWith('BENCH_RESULT '));
      if (!line) {
        reject(new Error(`${command} exited ${code} without a result: ${err.slice(0, 500)}${out.slice(0, 500)}`));
        return;
      }
      const raw = JSON.parse(line.slice('BENCH_RESULT '.length));
      const seconds = raw.durationUs / 1e6;
      const socketErrors = raw.errors.connect + raw.errors.read + raw.errors.write + raw.errors.timeout;
      // Throughput counts the requests answered 2xx: a 429 or 503 is not a request served.
      resolve({
        rps: (raw.requests - raw.errors.status) / seconds,
        allRps: raw.requests / seconds,
        requests: raw.requests,
        seconds,
        errors: socketErrors,
        non2xx: raw.errors.status,
        latencyUs: raw.latencyUs,
      });
    });
  });
}
