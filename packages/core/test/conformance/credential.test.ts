import { ManagedIdentityCredential } from '@azure/identity';
import { describeStrategyConformance } from './strategyConformance.js';

// The escape hatch: any TokenCredential, here the real @azure/identity ManagedIdentityCredential.
describeStrategyConformance('credential (@azure/identity ManagedIdentityCredential)', {
  strategy(emulator) {
    process.env.IDENTITY_ENDPOINT = emulator.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = emulator.managedIdentity.header;
    return { kind: 'credential', credential: new ManagedIdentityCredential() };
  },
  endpoint: 'appService',
  faultTarget: 'appService',
  secrets: (emulator) => [emulator.managedIdentity.header],
});
