import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServerCertificate, type Emulator, type EmulatorOptions, startEmulator } from '@keyless/testing';

/**
 * Writes a fresh TLS key and certificate into `dir` and points `env` at them, for the workers that
 * env starts (startBenchEmulator serves with the key; node trusts the certificate).
 */
export async function shareBenchCertificate(dir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const tls = await createServerCertificate();
  writeFileSync(join(dir, 'key.pem'), tls.key, { mode: 0o600 });
  writeFileSync(join(dir, 'cert.pem'), tls.cert);
  env.NODE_EXTRA_CA_CERTS = join(dir, 'cert.pem');
  env.KEYLESS_BENCH_TLS_KEY = join(dir, 'key.pem');
}

/**
 * Workers share one TLS certificate made by the parent, so that NODE_EXTRA_CA_CERTS (which node
 * reads only at start) lets @azure/identity and msal-node trust the emulator's authority.
 */
export function startBenchEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const key = process.env.KEYLESS_BENCH_TLS_KEY;
  const cert = process.env.NODE_EXTRA_CA_CERTS;
  if (key === undefined || cert === undefined) throw new Error('run workers through bench/dist/run.js');
  return startEmulator({ ...options, tls: { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') } });
}

/** Sets this process's environment for one of the emulator's strategy kinds. */
export function useEnv(emulator: Emulator, kind: Parameters<Emulator['env']>[0]): void {
  Object.assign(process.env, emulator.env(kind));
}

/** Total token requests the emulator has seen. */
export function tokenRequests(emulator: Emulator): number {
  const c = emulator.counters.tokenRequests;
  return c.entra + c.appService + c.imds;
}
