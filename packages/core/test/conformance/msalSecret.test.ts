import { strategyFor } from '@keyless/test-suites';
import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth } from '../../src/index.js';

describeStrategyConformance('msalConfidentialClient (client secret)', createAuth, {
  strategy: (emulator) => strategyFor('msalSecret', emulator),
  endpoint: 'entra',
  faultTarget: 'token',
  secrets: (emulator) => [emulator.client.clientSecret],
});
