import { ManagedIdentityCredential } from '@azure/identity';
import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth, type Strategy } from '../../src/index.js';

// The escape hatch: any TokenCredential, here the real @azure/identity ManagedIdentityCredential.
describeStrategyConformance('credential (@azure/identity ManagedIdentityCredential)', createAuth, {
  strategy(emulator): Strategy {
    process.env.IDENTITY_ENDPOINT = emulator.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = emulator.managedIdentity.header;
    return { kind: 'credential', credential: new ManagedIdentityCredential() };
  },
  endpoint: 'appService',
  faultTarget: 'appService',
  secrets: (emulator) => [emulator.managedIdentity.header],
});
