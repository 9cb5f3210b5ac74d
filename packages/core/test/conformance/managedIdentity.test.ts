import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth, type Strategy } from '../../src/index.js';

// App Service protocol (IDENTITY_ENDPOINT + IDENTITY_HEADER), system-assigned identity.
describeStrategyConformance('managedIdentity (App Service, system-assigned)', createAuth, {
  strategy(emulator): Strategy {
    process.env.IDENTITY_ENDPOINT = emulator.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = emulator.managedIdentity.header;
    return { kind: 'managedIdentity' };
  },
  endpoint: 'appService',
  faultTarget: 'appService',
  secrets: (emulator) => [emulator.managedIdentity.header],
});
