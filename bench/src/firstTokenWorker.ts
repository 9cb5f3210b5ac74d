import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import '@azure/msal-node';
import { COGNITIVE_SERVICES_SCOPE, createAuth } from '@keyless/core';
import { startBenchEmulator, useEnv } from './lib/benchEnv.js';
import { report } from './lib/worker.js';

// Scenario 4b: constructor + first token against managed identity (App Service protocol), with
// every library already imported, in a fresh process.
const [subject = ''] = process.argv.slice(2);
const emulator = await startBenchEmulator();
useEnv(emulator, 'managedIdentity');
const started = performance.now();
switch (subject) {
  case 'keyless managedIdentity':
    await createAuth({ kind: 'managedIdentity' }).getToken();
    break;
  case 'keyless default':
    await createAuth({ kind: 'default' }).getToken();
    break;
  case 'DefaultAzureCredential':
    await new DefaultAzureCredential().getToken(COGNITIVE_SERVICES_SCOPE);
    break;
  case 'ManagedIdentityCredential':
    await new ManagedIdentityCredential().getToken(COGNITIVE_SERVICES_SCOPE);
    break;
  default:
    throw new Error(`unknown subject ${subject}`);
}
const ms = performance.now() - started;
await emulator.close();
report({ subject, ms });
