// The load generator when wrk is missing: autocannon with the scenario's varied requests
// (bench/scenarios.mjs), printing the same BENCH_RESULT line as bench/wrk/switchboard.lua.
//
//   node bench/autocannon-runner.mjs '{"url":"http://127.0.0.1:9000","scenario":"is-account-hit",
//     "dataFile":"bench/out/100k/data.json","seconds":4,"connections":50}'
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { requestMaker } from './scenarios.mjs';

const options = JSON.parse(process.argv[2] ?? '{}');
const data = JSON.parse(readFileSync(options.dataFile.replace(/\.lua$/, '.json'), 'utf8'));
const make = requestMaker(data, data.hot)[options.scenario];
if (!make) throw new Error(`unknown scenario ${options.scenario}`);

const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.seconds,
  timeout: 5,
  requests: [
    {
      setupRequest: (request) => {
        const next = make();
        return {
          ...request,
          method: next.method,
          path: next.path,
          headers: { ...request.headers, ...next.headers },
          body: next.body,
        };
      },
    },
  ],
});
const ms = (value) => Math.round(value * 1000);
process.stdout.write(
  `BENCH_RESULT ${JSON.stringify({
    requests: result.requests.total,
    durationUs: Math.round(result.duration * 1e6),
    bytes: result.throughput.total,
    errors: { connect: result.errors, read: 0, write: 0, status: result.non2xx, timeout: result.timeouts },
    latencyUs: {
      mean: ms(result.latency.mean),
      p50: ms(result.latency.p50),
      p90: ms(result.latency.p90),
      p99: ms(result.latency.p99),
      max: ms(result.latency.max),
    },
  })}\n`,
);
