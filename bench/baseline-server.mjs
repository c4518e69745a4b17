// The baseline of the benchmark: a plain node:http server that parses the query string and answers
// the same JSON bytes as a hit of /api/is-account. No framework, no database, no token check: the
// practical upper limit of any Node.js service on this machine.
//
//   node bench/baseline-server.mjs --port 9000
import http from 'node:http';
import { parse } from 'node:querystring';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { port: { type: 'string', default: '9000' } } });
const ANSWER = Buffer.from('{"success":true,"error":false,"exists":true,"verified":true}');
const MISSING = Buffer.from('{"success":false,"error":true,"message":"The parameter email must be filled."}');

const server = http.createServer((request, response) => {
  const url = request.url ?? '/';
  const start = url.indexOf('?');
  const query = start < 0 ? {} : parse(url.slice(start + 1));
  const ok = typeof query.email === 'string' && query.email.trim() !== '';
  const body = ok ? ANSWER : MISSING;
  response.writeHead(ok ? 200 : 400, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': body.length,
  });
  response.end(body);
});
// The same keep-alive as Fastify's default, so that connections live alike.
server.keepAliveTimeout = 72_000;
server.listen(Number(values.port), '127.0.0.1');
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => server.close(() => process.exit(0)));
