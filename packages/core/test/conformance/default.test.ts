import { strategyFor } from '@keyless/test-suites';
import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth } from '../../src/index.js';

// DefaultAzureCredential from the real @azure/identity, walking its chain to managed identity.
describeStrategyConformance('default (DefaultAzureCredential)', createAuth, {
  strategy: (emulator) => strategyFor('default', emulator),
  env: 'default',
  endpoint: 'appService',
  faultTarget: 'appService',
  secrets: (emulator) => [emulator.managedIdentity.header],
});
