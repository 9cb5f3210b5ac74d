import { githubActionsAssertion, type Strategy, workloadIdentityAssertion } from '@keyless/core';
import type { Emulator, EmulatorEnvKind } from '@keyless/testing';

/**
 * The strategy of each emulator kind, set up in this process. Managed identity reads its endpoint
 * from process.env (and msal-node fixes it for the life of the process): one kind per test file.
 */
export function strategyFor(kind: EmulatorEnvKind, emulator: Emulator): Strategy {
  switch (kind) {
    case 'apiKey':
      return { kind: 'apiKey', key: emulator.apiKey };
    case 'managedIdentity':
    case 'default':
      process.env.IDENTITY_ENDPOINT = emulator.managedIdentity.endpoint;
      process.env.IDENTITY_HEADER = emulator.managedIdentity.header;
      return kind === 'default' ? { kind: 'default' } : { kind: 'managedIdentity' };
    case 'imds':
      process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = emulator.managedIdentity.imdsHost;
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
      // DefaultAzureCredential reads these from process.env: the developer links, the stand-in CLIs.
      process.env.AZURE_TOKEN_CREDENTIALS = 'dev';
      process.env.PATH = emulator.env('developerCli').PATH;
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
