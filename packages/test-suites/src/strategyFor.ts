import { githubActionsAssertion, type Strategy, workloadIdentityAssertion } from '@keyless/core';
import type { Emulator, EmulatorEnvKind } from '@keyless/testing';

/**
 * The strategy of each emulator kind. It touches nothing: managed identity and the developer
 * links read their endpoint, header or PATH from process.env, which `emulator.env(kind)` holds and
 * `useEmulator({ env: kind })` sets for a test file (msal-node fixes the managed-identity endpoint
 * for the life of the process: one such kind per file).
 */
export function strategyFor(kind: EmulatorEnvKind, emulator: Emulator): Strategy {
  switch (kind) {
    case 'apiKey':
      return { kind: 'apiKey', key: emulator.apiKey };
    case 'managedIdentity':
      return { kind: 'managedIdentity' };
    case 'default':
      return { kind: 'default' };
    case 'imds':
      return { kind: 'managedIdentity', clientId: emulator.managedIdentity.userAssigned.clientId };
    case 'workloadIdentity':
    case 'githubActions':
      return {
        ...servicePrincipal(emulator),
        clientAssertion:
          kind === 'workloadIdentity'
            ? workloadIdentityAssertion(emulator.federation.kubernetes.tokenFile)
            : githubActionsAssertion({
                requestUrl: emulator.federation.github.requestUrl,
                requestToken: emulator.federation.github.requestToken,
                ca: emulator.caCertificate,
              }),
      };
    case 'developerCli':
      // DefaultAzureCredential's developer links (AZURE_TOKEN_CREDENTIALS=dev, the stand-in CLIs on PATH).
      return { kind: 'default' };
    case 'foundryProject':
    case 'msalSecret':
    case 'msalCertificate':
      return {
        ...servicePrincipal(emulator),
        ...(kind !== 'msalCertificate'
          ? { clientSecret: emulator.client.clientSecret }
          : { certificate: { path: emulator.client.certificate.path } }),
      };
  }
}

/** The emulator's registered client, as every service-principal strategy names it. */
function servicePrincipal(emulator: Emulator) {
  return {
    kind: 'msalConfidentialClient',
    tenantId: emulator.tenantId,
    clientId: emulator.client.clientId,
    authorityHost: emulator.authorityHost,
    ca: emulator.caCertificate,
  } as const;
}

/** The object id of the principal each kind signs in as (for role assignments). */
export function principalFor(kind: EmulatorEnvKind, emulator: Emulator): string | undefined {
  switch (kind) {
    case 'apiKey':
      return undefined;
    case 'managedIdentity':
    case 'default':
      return emulator.managedIdentity.systemObjectId;
    case 'imds':
      return emulator.managedIdentity.userAssigned.objectId;
    case 'msalSecret':
    case 'msalCertificate':
    case 'workloadIdentity':
    case 'githubActions':
    case 'foundryProject':
      return emulator.client.objectId;
    case 'developerCli':
      return emulator.developer.oid;
  }
}

/** Token requests made so far, across every token endpoint. */
export function tokenRequests(emulator: Emulator): number {
  const counts = emulator.counters.tokenRequests;
  return counts.entra + counts.appService + counts.imds + counts.developerCli;
}
