import { describeStrategyConformance } from './strategyConformance.js';

describeStrategyConformance('msalConfidentialClient (client secret)', {
  strategy: (emulator) => ({
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
