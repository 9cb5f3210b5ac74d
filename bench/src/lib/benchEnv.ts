import { readFileSync } from 'node:fs';
import { type Emulator, type EmulatorOptions, startEmulator } from '@keyless/testing';

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
