import { describeStrategyConformance } from '@keyless/testing/conformance';
import { createAuth, type Strategy } from '../../src/index.js';

describeStrategyConformance('msalConfidentialClient (certificate)', createAuth, {
  strategy: (emulator): Strategy => ({
    kind: 'msalConfidentialClient',
    tenantId: emulator.tenantId,
    clientId: emulator.client.clientId,
    certificate: {
      privateKey: emulator.client.certificate.privateKey,
      thumbprintSha256: emulator.client.certificate.thumbprintSha256,
    },
    authorityHost: emulator.authorityHost,
    ca: emulator.caCertificate,
  }),
  endpoint: 'entra',
  faultTarget: 'token',
  secrets: (emulator) => [emulator.client.certificate.privateKey.split('\n')[1] ?? 'unused-secret-line'],
});
