import { strategyFor } from '@keyless/test-suites';
import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth } from '../../src/index.js';

// IMDS protocol (redirected with AZURE_POD_IDENTITY_AUTHORITY_HOST), user-assigned by client id.
describeStrategyConformance('managedIdentity (IMDS, user-assigned)', createAuth, {
  strategy: (emulator) => strategyFor('imds', emulator),
  env: 'imds',
  endpoint: 'imds',
  faultTarget: 'imds',
  secrets: () => [],
});
