import { strategyFor } from '@keyless/test-suites';
import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth } from '../../src/index.js';

// App Service protocol (IDENTITY_ENDPOINT + IDENTITY_HEADER), system-assigned identity.
describeStrategyConformance('managedIdentity (App Service, system-assigned)', createAuth, {
  strategy: (emulator) => strategyFor('managedIdentity', emulator),
  env: 'managedIdentity',
  endpoint: 'appService',
  faultTarget: 'appService',
  secrets: (emulator) => [emulator.managedIdentity.header],
});
