import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

/**
 * A real redis-server (the Debian package, or any on PATH) on a free loopback port, persistence
 * off, for tests of a shared token cache: `kill()` crashes it, `restart()` brings it back empty.
 */
export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Kills it with SIGKILL, as a crash would. */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const accepts = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });

/** Starts redis-server; rejects with a clear message when it is not installed. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    const started = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
      { stdio: 'ignore' },
    );
    child = started;
    const failed = new Promise<never>((_, reject) =>
      started.once('error', (error) =>
        reject(new Error(`redis-server could not be started (${error.message}): apt-get install redis-server`)),
      ),
    );
    const ready = (async () => {
      for (const end = Date.now() + 10_000; Date.now() < end; ) {
        if (await accepts(port)) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('redis-server did not accept connections within 10 s');
    })();
    await Promise.race([ready, failed]);
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      const running = child;
      if (running === undefined || running.exitCode !== null || running.signalCode !== null) return resolve();
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, kill: stop, restart: start, close: stop };
}
