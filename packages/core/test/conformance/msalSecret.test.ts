import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth, type Strategy } from '../../src/index.js';

describeStrategyConformance('msalConfidentialClient (client secret)', createAuth, {
  strategy: (emulator): Strategy => ({
    kind: 'msalConfidentialClient',
    tenantId: emulator.tenantId,
    clientId: emulator.client.clientId,
    clientSecret: emulator.client.clientSecret,
    authorityHost: emulator.authorityHost,
    ca: emulator.caCertificate,
  }),
  endpoint: 'entra',
  faultTarget: 'token',
  secrets: (emulator) => [emulator.client.clientSecret],
});
