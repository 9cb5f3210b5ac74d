import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServerCertificate } from './certificates.js';

/**
 * A real redis-server (the Debian package, or any on PATH) on a free loopback port, persistence
 * off, for tests of a shared token cache: `kill()` crashes it, `restart()` brings it back empty.
 */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`, or `rediss://:<password>@…` with `tls` and a password. */
  readonly url: string;
  /** With `tls`: the CA certificate (PEM) that signed the server's certificate. */
  readonly ca: string | undefined;
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

/** Options of {@link startRedisServer}. */
export interface RedisServerOptions {
  /** TLS only (`rediss://`), with a certificate made now, as Azure Cache for Redis on port 6380. */
  tls?: boolean | undefined;
  /** A password clients must give (`requirepass`), as an access key. */
  password?: string | undefined;
}

/** Starts redis-server; rejects with a clear message when it is not installed. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  let tlsFiles: { dir: string; ca: string; args: string[] } | undefined;
  if (options.tls === true) {
    const dir = await mkdtemp(join(tmpdir(), 'keyless-redis-'));
    const { key, cert } = await createServerCertificate();
    await Promise.all([writeFile(join(dir, 'key.pem'), key, { mode: 0o600 }), writeFile(join(dir, 'cert.pem'), cert)]);
    const files = ['--tls-cert-file', join(dir, 'cert.pem'), '--tls-key-file', join(dir, 'key.pem')];
    tlsFiles = {
      dir,
      ca: cert,
      args: [...files, '--tls-ca-cert-file', join(dir, 'cert.pem'), '--tls-auth-clients', 'no'],
    };
  }
  const listen =
    tlsFiles === undefined ? ['--port', String(port)] : ['--port', '0', '--tls-port', String(port), ...tlsFiles.args];
  const password = options.password === undefined ? [] : ['--requirepass', options.password];
  const start = async () => {
    const started = spawn(
      'redis-server',
      [...listen, ...password, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'],
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
  const auth = options.password === undefined ? '' : `:${encodeURIComponent(options.password)}@`;
  return {
    url: `${tlsFiles === undefined ? 'redis' : 'rediss'}://${auth}127.0.0.1:${port}`,
    ca: tlsFiles?.ca,
    port,
    kill: stop,
    restart: start,
    close: async () => {
      await stop();
      if (tlsFiles !== undefined) await rm(tlsFiles.dir, { recursive: true, force: true });
    },
  };
}
