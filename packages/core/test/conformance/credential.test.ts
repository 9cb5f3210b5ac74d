import { ManagedIdentityCredential } from '@azure/identity';
import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth, type Strategy } from '../../src/index.js';

// The escape hatch: any TokenCredential, here the real @azure/identity ManagedIdentityCredential.
describeStrategyConformance('credential (@azure/identity ManagedIdentityCredential)', createAuth, {
  // ManagedIdentityCredential reads IDENTITY_ENDPOINT and IDENTITY_HEADER: the suite sets them.
  strategy: (): Strategy => ({ kind: 'credential', credential: new ManagedIdentityCredential() }),
  env: 'managedIdentity',
  endpoint: 'appService',
  faultTarget: 'appService',
  secrets: (emulator) => [emulator.managedIdentity.header],
});
