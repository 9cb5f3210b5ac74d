import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth, type Strategy } from '../../src/index.js';

// DefaultAzureCredential from the real @azure/identity, walking its chain to managed identity.
describeStrategyConformance('default (DefaultAzureCredential)', createAuth, {
  strategy(emulator): Strategy {
    process.env.IDENTITY_ENDPOINT = emulator.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = emulator.managedIdentity.header;
    return { kind: 'default' };
  },
  endpoint: 'appService',
  faultTarget: 'appService',
  secrets: (emulator) => [emulator.managedIdentity.header],
});
