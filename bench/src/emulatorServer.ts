import { startBenchEmulator } from './lib/benchEnv.js';
import { report } from './lib/worker.js';

// The emulator in a process of its own, so that load generators measure clients, not the server
// sharing their event loop. Reports its settings, then serves until SIGTERM.
const emulator = await startBenchEmulator({
  tokenLifetimeSeconds: Number(process.env.KEYLESS_BENCH_TOKEN_LIFETIME ?? 3600),
});
report({
  openaiEndpoint: emulator.openaiEndpoint,
  apiKey: emulator.apiKey,
  apiVersion: emulator.apiVersion,
  deployment: emulator.deployments.chat,
  env: emulator.env('managedIdentity'),
});
process.on('SIGTERM', () => void emulator.close().then(() => process.exit(0)));
