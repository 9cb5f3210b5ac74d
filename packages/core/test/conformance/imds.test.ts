import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth, type Strategy } from '../../src/index.js';

// IMDS protocol (redirected with AZURE_POD_IDENTITY_AUTHORITY_HOST), user-assigned by client id.
describeStrategyConformance('managedIdentity (IMDS, user-assigned)', createAuth, {
  strategy(emulator): Strategy {
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = emulator.managedIdentity.imdsHost;
    return { kind: 'managedIdentity', clientId: emulator.managedIdentity.userAssigned.clientId };
  },
  endpoint: 'imds',
  faultTarget: 'imds',
  secrets: () => [],
});
