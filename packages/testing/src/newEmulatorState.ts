import { randomBytes, randomUUID } from 'node:crypto';
import type { CertificateMaterial } from './certificates.js';
import { newDeveloper } from './developerCli.js';
import type { EmulatorOptions } from './emulatorApi.js';
import type { EmulatorCounters, EmulatorState } from './emulatorState.js';
import { FaultScript } from './faults.js';
import type { FederationState } from './federation.js';
import { AUDIENCE, type TokenIssuer } from './tokenIssuer.js';

/** The deployments every emulator serves, and the API version its variables name. */
export const EMULATOR_DEPLOYMENTS = { chat: 'gpt-4o-mini', embeddings: 'text-embedding-3-small' } as const;
export const EMULATOR_API_VERSION = '2024-10-21';
/** The app role the sample API (`apiApp`) grants its callers. */
export const API_APP_ROLE = 'Summarize.Invoke';

/**
 * A new emulator's state: a tenant with its principals (the confidential client, the managed
 * identities, a developer) holding the OpenAI User role, two deployments, the token settings,
 * empty counters and log. Addresses and federation are filled in once the servers listen.
 */
export function newEmulatorState(parts: {
  tenantId: string;
  issuer: TokenIssuer;
  clientCertificate: CertificateMaterial;
  now: () => number;
  options: EmulatorOptions;
}): EmulatorState {
  const { tenantId, issuer, clientCertificate, now, options } = parts;
  const clientId = randomUUID();
  const state: EmulatorState = {
    tenantId,
    issuer,
    faults: new FaultScript(),
    settings: {
      lifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
      refreshInSeconds: options.refreshInSeconds,
      expiresOnFormat: 'epoch-string',
      expireEarlySeconds: 0,
      audience: AUDIENCE,
      localAuthDisabled: false,
    },
    counters: emptyCounters(),
    log: [],
    apiKey: randomBytes(16).toString('hex'),
    gatewayKey: randomBytes(16).toString('hex'),
    identityHeader: randomBytes(16).toString('hex'),
    client: {
      clientId,
      appId: clientId,
      appIdUri: `api://${clientId}`,
      oid: randomUUID(),
      clientSecret: `${randomBytes(6).toString('base64url')}~${randomBytes(18).toString('base64url')}`,
      certificate: clientCertificate,
    },
    systemIdentity: { oid: randomUUID(), appId: randomUUID() },
    developer: newDeveloper(randomUUID()),
    userIdentity: (() => {
      const id = randomUUID();
      return {
        oid: randomUUID(),
        appId: id,
        clientId: id,
        resourceId: `/subscriptions/${randomUUID()}/resourceGroups/keyless/providers/Microsoft.ManagedIdentity/userAssignedIdentities/keyless-emulator`,
      };
    })(),
    roles: new Map(),
    deployments: new Map([
      [EMULATOR_DEPLOYMENTS.chat, 'chat'],
      [EMULATOR_DEPLOYMENTS.embeddings, 'embeddings'],
    ]),
    apiApp: (() => {
      const appId = randomUUID();
      return { appId, appIdUri: `api://${appId}`, roles: new Map<string, Set<string>>() };
    })(),
    // Set below, once the authority listens and its URL (the issuers' base) is known.
    federation: undefined as unknown as FederationState,
    files: new Map(),
    users: new Map(),
    authorityHost: '',
    now,
  };
  for (const principal of [state.client, state.systemIdentity, state.userIdentity]) {
    state.roles.set(principal.oid, new Set(['Cognitive Services OpenAI User']));
    state.apiApp.roles.set(principal.oid, new Set([API_APP_ROLE]));
  }
  // The developer, as in Microsoft's own walkthrough: the broader role, granted to a user.
  state.roles.set(state.developer.principal.oid, new Set(['Cognitive Services User']));

  return state;
}

/** Every counter at zero. */
export function emptyCounters(): EmulatorCounters {
  return {
    tokenRequests: { entra: 0, appService: 0, imds: 0, developerCli: 0 },
    tokensIssued: 0,
    tokenRequestsWithClaims: 0,
    metadataRequests: 0,
    dataPlane: { bearer: 0, apiKey: 0, both: 0, none: 0 },
    dataPlaneRejected: 0,
    expiredTokensReceived: 0,
    claimsChallengesSent: 0,
    hungRequests: 0,
    hungRequestsOpen: 0,
    chunkedTokenRequests: 0,
    realtimeSessions: 0,
    fileUploads: 0,
    gatewayRequests: 0,
    onBehalfOf: { issued: 0, refused: 0 },
    federatedAssertions: { accepted: 0, rejected: 0 },
    githubTokenRequests: 0,
  };
}
