import { getBearerTokenProvider, ManagedIdentityCredential } from '@azure/identity';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { COGNITIVE_SERVICES_SCOPE, createAuth } from '@keyless/core';
import { measure } from 'mitata';
import { startBenchEmulator, useEnv } from './lib/benchEnv.js';
import { report } from './lib/worker.js';

// Scenario 1: what one call costs once the token is cached, side by side in one process.
const quick = process.argv.includes('--quick');
const emulator = await startBenchEmulator();
useEnv(emulator, 'managedIdentity');

const auth = createAuth({ kind: 'managedIdentity' });
const credential = new ManagedIdentityCredential();
const gbtp = getBearerTokenProvider(credential, COGNITIVE_SERVICES_SCOPE);
const naive = () => credential.getToken(COGNITIVE_SERVICES_SCOPE).then((t) => t.token);
const msal = new ConfidentialClientApplication({
  auth: {
    clientId: emulator.client.clientId,
    clientSecret: emulator.client.clientSecret,
    authority: `${emulator.authorityHost}/${emulator.tenantId}`,
    knownAuthorities: [new URL(emulator.authorityHost).host],
  },
});
const msalCall = () => msal.acquireTokenByClientCredential({ scopes: [COGNITIVE_SERVICES_SCOPE] });
const staticToken = async () => 'static-token';

const subjects: Array<[string, () => Promise<unknown>]> = [
  ['keyless auth.getRequestHeaders()', () => auth.getRequestHeaders()],
  ['keyless auth.getToken()', () => auth.getToken()],
  ['getBearerTokenProvider(ManagedIdentityCredential)()', gbtp],
  ['naive () => credential.getToken(scope)', naive],
  ['msal acquireTokenByClientCredential (cache hit)', msalCall],
  ['limit: async () => "static-token"', staticToken],
];
for (const [, fn] of subjects) await fn(); // warm every cache

const options = quick ? { min_cpu_time: 50e6, max_samples: 2_000 } : { min_cpu_time: 1_000e6 };
const results: Array<{ name: string; p50: number; avg: number; p99: number }> = [];
for (const [name, fn] of subjects) {
  const stats = await measure(fn, options);
  results.push({ name, p50: stats.p50, avg: stats.avg, p99: stats.p99 });
}
const requests = emulator.counters.tokenRequests;
await emulator.close();
report({ results, tokenRequests: requests });
