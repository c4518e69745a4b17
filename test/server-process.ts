import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../bin/switchboard.js', import.meta.url));

/** A port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  output(): string;
}

/** Starts `switchboard serve` as a child process (from the built dist/) and waits until it listens. */
export async function startServer(
  db: string,
  env: NodeJS.ProcessEnv = {},
  args: string[] = [],
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', String(port), ...args], {
    // As in buildTestApp: a test worker shares a loaded CPU, and a lag there is no overload of the service.
    env: { ...process.env, SWITCHBOARD_LOG_LEVEL: 'info', SWITCHBOARD_OVERLOAD_DELAY_MS: '2000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 15_000;
  while (!output.includes('Server listening')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { child, baseUrl: `http://127.0.0.1:${port}`, output: () => output };
}
