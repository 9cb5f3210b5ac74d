import { createServer, type Socket } from 'node:net';
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import '@azure/msal-node';
import { COGNITIVE_SERVICES_SCOPE, createAuth } from '@keyless/core';
import { report } from './lib/worker.js';

// Scenario 4c: a machine that is not on Azure. How long managed identity (and the chains that
// try it) take to say it is not available here. IMDS is a loopback address in both modes, so
// nothing leaves this machine: `refused` (nothing listens: connection refused at once) and
// `black-holed` (a listener that accepts and never answers, as a firewall that drops packets
// looks to a client). No az, azd or pwsh is on PATH.
const [subject = '', mode = 'refused'] = process.argv.slice(2);
const sockets = new Set<Socket>();
const hole = createServer((socket) => {
  sockets.add(socket);
  socket.on('error', () => {});
});
await new Promise<void>((resolve) => hole.listen(0, '127.0.0.1', resolve));
const holePort = (hole.address() as { port: number }).port;
let imdsPort = holePort;
if (mode === 'refused') {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  imdsPort = (probe.address() as { port: number }).port;
  await new Promise((resolve) => probe.close(resolve));
}
for (const name of ['IDENTITY_ENDPOINT', 'IDENTITY_HEADER', 'MSI_ENDPOINT', 'AZURE_CLIENT_ID', 'AZURE_TENANT_ID']) {
  delete process.env[name];
}
process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = `http://127.0.0.1:${imdsPort}`;
process.env.PATH = '/nonexistent';

const BOUND_MS = 30_000;
const started = performance.now();
let outcome = 'token';
let bound: NodeJS.Timeout | undefined;
const attempt = async (): Promise<unknown> => {
  switch (subject) {
    // keyless with its default deadline: what a user gets.
    case 'keyless managedIdentity':
      return createAuth({ kind: 'managedIdentity' }).getToken();
    case 'keyless default':
      return createAuth({ kind: 'default' }).getToken();
    case 'ManagedIdentityCredential':
      return new ManagedIdentityCredential().getToken(COGNITIVE_SERVICES_SCOPE);
    case 'DefaultAzureCredential':
      return new DefaultAzureCredential().getToken(COGNITIVE_SERVICES_SCOPE);
    default:
      throw new Error(`unknown subject ${subject}`);
  }
};
try {
  // A client that never gives up is reported as such, not waited for.
  await Promise.race([
    attempt(),
    new Promise((_resolve, reject) => {
      bound = setTimeout(
        () => reject(Object.assign(new Error('no answer'), { code: `still waiting after ${BOUND_MS / 1000} s` })),
        BOUND_MS,
      );
    }),
  ]);
} catch (error) {
  outcome = (error as { code?: string; name?: string }).code ?? (error as Error).name;
}
clearTimeout(bound);
const ms = performance.now() - started;
for (const socket of sockets) socket.destroy();
hole.close();
report({ subject, mode, ms, outcome });
// What a library left behind (retry timers, sockets) must not hold the figure back.
process.exit(0);
