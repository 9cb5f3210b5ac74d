import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { createServer as createPolyglotServer } from '@httptoolkit/httpolyglot';
import { type CertificateMaterial, createClientCertificate, createServerCertificate } from './certificates.js';
import { handleDataPlane } from './dataPlaneHandler.js';
import { DEVELOPER_TOKEN_PATH, handleDeveloperToken, newDeveloper, writeDeveloperCli } from './developerCli.js';
import type { EmulatorCounters, EmulatorState, RequestLogEntry, TokenSettings } from './emulatorState.js';
import { GITHUB_TOKEN_PATH, handleEntra } from './entraHandler.js';
import { FaultScript } from './faults.js';
import { createFederation, type FederatedCredential, type FederationState, rotateTokenFile } from './federation.js';
import { GATEWAY_AUDIENCE, gatewayHandler } from './gatewayHandler.js';
import { APP_SERVICE_PATH, handleManagedIdentity } from './managedIdentityHandler.js';
import { realtimeUpgradeHandler } from './realtimeApi.js';
import { AUDIENCE, TokenIssuer } from './tokenIssuer.js';

/** The environment kinds {@link Emulator.env} can produce. */
export type EmulatorEnvKind =
  | 'apiKey'
  | 'managedIdentity'
  | 'imds'
  | 'msalSecret'
  | 'msalCertificate'
  | 'default'
  | 'workloadIdentity'
  | 'githubActions'
  /** The service principal, calling the emulator's Foundry project endpoint (AZURE_OPENAI_ENDPOINT). */
  | 'foundryProject'
  /**
   * A developer signed in to the Azure CLI: DefaultAzureCredential's developer links
   * (`AZURE_TOKEN_CREDENTIALS=dev`) with the stand-in `az` and `azd` first on PATH.
   */
  | 'developerCli';

/** Every kind {@link Emulator.env} has variables for, in the order the samples run them. */
export const EMULATOR_ENV_KINDS: readonly EmulatorEnvKind[] = [
  'apiKey',
  'managedIdentity',
  'imds',
  'msalSecret',
  'msalCertificate',
  'default',
  'workloadIdentity',
  'githubActions',
  'foundryProject',
  'developerCli',
];

/** Options of {@link startEmulator}. */
export interface EmulatorOptions {
  /** Port of the HTTP server (data plane + managed identity). Default: any free port. */
  port?: number | undefined;
  /** Port of the HTTPS server (Entra ID authority). Default: any free port. */
  authorityPort?: number | undefined;
  /** Lifetime of issued tokens in seconds. Default 3600. */
  tokenLifetimeSeconds?: number | undefined;
  /** `refresh_in` returned by the Entra token endpoint. Default none. */
  refreshInSeconds?: number | undefined;
  /** TLS key and certificate for the authority (reuse one to keep a trusted CA). Default: generated. */
  tls?: { key: string; cert: string } | undefined;
  /**
   * The emulator's clock: what issued tokens' `iat`/`exp`, the expiry checks of the data plane and
   * the token endpoint, managed identity's `expires_on` and the log read. A {@link ManualClock}
   * shared with `createAuth(strategy, { clock })` makes expiry tests run without sleeping. Default
   * the system clock.
   */
  clock?: { now(): number } | undefined;
}

/** A running emulator. All URLs are on 127.0.0.1. */
export interface Emulator {
  /** Azure OpenAI endpoint (http on loopback), e.g. http://127.0.0.1:PORT. */
  readonly openaiEndpoint: string;
  /**
   * A developer signed in to the Azure CLI and the Azure Developer CLI: a user principal (`oid`,
   * `upn`; its tokens are delegated: `idtyp: user`, `scp`). `cliPath` holds stand-in `az` and
   * `azd` executables: put it first on PATH and the real AzureCliCredential and
   * AzureDeveloperCliCredential (DefaultAzureCredential's developer links) get the developer's
   * tokens from the emulator. `session` makes them say what the real ones say when nobody ran
   * `az login` (`signed-out`) or the sign-in expired (`expired`). Grant roles to `oid` as to any
   * principal ("Cognitive Services User", as Microsoft's own article does for a user).
   */
  readonly developer: {
    readonly oid: string;
    readonly upn: string;
    readonly cliPath: string;
    session: 'signed-in' | 'signed-out' | 'expired';
  };
  /**
   * An API Management-like gateway in front of the data plane, on its own origin: it needs the
   * subscription key `key` in `Ocp-Apim-Subscription-Key` and a bearer token for its app's
   * audience (`scope`, `api://keyless-gateway/.default`), refuses API keys, answers a bare 401
   * (naming no audience) otherwise, and forwards what it accepts to the data plane.
   */
  readonly gateway: { readonly endpoint: string; readonly key: string; readonly scope: string };
  /**
   * A Foundry project endpoint on the same resource, `{openaiEndpoint}/api/projects/{name}`: the
   * same data plane (its OpenAI v1 API under `/openai/v1`, agents under `/assistants`), which
   * accepts only tokens for `https://ai.azure.com` and answers others with Azure's 401 naming it.
   * Agents (`AIServices/agents/*` data actions) need "Azure AI User" or "Azure AI Developer".
   */
  readonly foundryProjectEndpoint: string;
  /** A valid API key for the data plane. */
  readonly apiKey: string;
  /** Deployments served by default, and the api-version to use. */
  readonly deployments: { chat: string; embeddings: string };
  readonly apiVersion: string;
  /** Entra ID authority host (https on loopback) and the registered tenant. */
  readonly authorityHost: string;
  readonly tenantId: string;
  /** The TLS certificate (PEM) to trust for the authority, and a file holding it. */
  readonly caCertificate: string;
  readonly caCertificatePath: string;
  /** The registered confidential client. */
  readonly client: {
    clientId: string;
    clientSecret: string;
    objectId: string;
    /**
     * Its Application ID URI (`api://{clientId}`), and the delegated scope users sign in for
     * (`…/access_as_user`): the client is also a web API that may act for them (on-behalf-of).
     */
    appIdUri: string;
    userScope: string;
    certificate: { privateKey: string; certificate: string; thumbprintSha256: string; path: string };
  };
  /** Managed identity endpoints and identities. */
  readonly managedIdentity: {
    /** App Service style IDENTITY_ENDPOINT and IDENTITY_HEADER. */
    endpoint: string;
    header: string;
    /** IMDS-style host (AZURE_POD_IDENTITY_AUTHORITY_HOST). */
    imdsHost: string;
    systemObjectId: string;
    userAssigned: { clientId: string; resourceId: string; objectId: string };
  };
  /**
   * Federated identity credentials (workload identity, GitHub Actions OIDC): two external OIDC
   * issuers served under the authority (`/oidc/kubernetes`, `/oidc/github`: discovery and JWKS),
   * the app registration's federated credentials (edit `credentials` to test mismatches), the
   * token file a kubelet would project, and GitHub's token service.
   */
  readonly federation: {
    readonly kubernetes: { readonly issuer: string; readonly subject: string; readonly tokenFile: string };
    readonly github: {
      readonly issuer: string;
      readonly subject: string;
      /** ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
      readonly requestUrl: string;
      readonly requestToken: string;
    };
    /** The federated credentials on the app registration; mutable. */
    readonly credentials: FederatedCredential[];
    /** Lifetimes (s) of the token written to the file (default 3600) and of each GitHub token (300). */
    readonly settings: { kubernetesLifetimeSeconds: number; githubLifetimeSeconds: number };
    /** Writes a fresh service-account token to the file (the kubelet rotating it). */
    rotateTokenFile(overrides?: { subject?: string; audience?: string; lifetimeSeconds?: number }): Promise<void>;
  };
  /**
   * A second app registration that exposes an API (as a service's own app registration does):
   * tokens for `scope` have the audience `appIdUri` and carry the app roles assigned to the
   * caller. "Summarize.Invoke" is assigned to the confidential client and both managed
   * identities at start. Verify them against `jwksUri`, issuer `issuer`.
   */
  readonly apiApp: { readonly appId: string; readonly appIdUri: string; readonly scope: string };
  /** The issuer (`iss`) of every access token the emulator mints, and its JWKS URL. */
  readonly issuer: string;
  readonly jwksUri: string;
  /**
   * Signs a user in, as a browser or SPA would before calling your API: a user principal (`oid`,
   * `upn`) and an access token for the registered client's API (audience `client.appIdUri`,
   * `scp: access_as_user`, `idtyp: user`), the assertion that client exchanges on the user's
   * behalf (OBO) at the token endpoint. Roles on the resource are the user's own: grant them
   * with `grantRole(user.oid)`. `consented: false` answers OBO with AADSTS65001.
   */
  signInUser(name?: string, options?: SignInOptions): Promise<SignedInUser>;
  /** Assigns an app role of {@link apiApp} to an object id (default "Summarize.Invoke"). */
  grantAppRole(objectId: string, role?: string): void;
  /** Removes one app role of {@link apiApp} from an object id, or every one. */
  removeAppRole(objectId: string, role?: string): void;
  /** Token settings; change them between requests. */
  readonly settings: TokenSettings;
  /** Scripted faults per endpoint. */
  readonly faults: FaultScript;
  /** Counters (token requests, data-plane calls by auth, expired tokens received…). */
  readonly counters: EmulatorCounters;
  /** Request log: endpoint, method, path, status, auth kind. Never a secret. */
  readonly log: readonly RequestLogEntry[];
  /** Environment variables that make `authFromEnv()` in a child process use this emulator. */
  env(kind: EmulatorEnvKind): Record<string, string>;
  /** Grants or removes "Cognitive Services OpenAI User" for an object id. */
  /**
   * Assigns a role on the resource to an object id. Default "Cognitive Services OpenAI User".
   * "Cognitive Services User" also allows inference; "Owner" and "Contributor" do not (no data
   * actions), as on Azure.
   */
  grantRole(objectId: string, role?: string): void;
  /** Removes one role from an object id, or (without `role`) every role it holds. */
  removeRole(objectId: string, role?: string): void;
  /**
   * Continuous access evaluation: from now on, every token issued so far is answered with a 401
   * `insufficient_claims` challenge carrying `claims` (JSON); tokens issued later pass, as after
   * a critical event on Azure.
   */
  challengeTokens(claims: string): void;
  /** Revokes one token, or every token issued so far. */
  revokeTokens(token?: string): void;
  /** Adds or removes a deployment. */
  setDeployment(name: string, kind: 'chat' | 'embeddings' | undefined): void;
  /** Zeroes the counters and empties the log. */
  resetCounters(): void;
  close(): Promise<void>;
}

/** Options of {@link Emulator.signInUser}. */
export interface SignInOptions {
  /** Whether the user consented to the API acting for them (on-behalf-of). Default true. */
  consented?: boolean | undefined;
  /** Lifetime of the user's token, seconds. Default the emulator's token lifetime. */
  lifetimeSeconds?: number | undefined;
}

/** A signed-in user: who, and the token their client sends to your API. */
export interface SignedInUser {
  readonly oid: string;
  readonly upn: string;
  /** An access token for the registered client's API, as the user's sign-in gave it. */
  readonly token: string;
  /** Another token for the same user (a later sign-in): a different assertion, the same person. */
  signInAgain(options?: SignInOptions): Promise<string>;
}

const USER_SCOPE = 'access_as_user';
const CHAT_DEPLOYMENT = 'gpt-4o-mini';
const API_APP_ROLE = 'Summarize.Invoke';
const EMBEDDINGS_DEPLOYMENT = 'text-embedding-3-small';
const API_VERSION = '2024-10-21';
const FOUNDRY_PROJECT = 'keyless-project';

/**
 * Starts a local Entra ID + managed identity + Azure OpenAI emulator on 127.0.0.1, speaking the
 * real wire protocols so that the real `@azure/identity`, `@azure/msal-node`, `openai` and
 * `@langchain/openai` can be tested against it.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const tenantId = randomUUID();
  const clock = options.clock;
  const now = clock === undefined ? () => Date.now() : () => clock.now();
  const [tls, clientCertificate, issuer] = await Promise.all([
    options.tls === undefined ? createServerCertificate() : Promise.resolve(options.tls as CertificateMaterial),
    createClientCertificate(),
    TokenIssuer.create(tenantId, now),
  ]);
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
      [CHAT_DEPLOYMENT, 'chat'],
      [EMBEDDINGS_DEPLOYMENT, 'embeddings'],
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

  const guard =
    (handler: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>) =>
    (req: IncomingMessage, res: ServerResponse) => {
      handler(req, res).catch(() => {
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end('{"error":{"code":"InternalServerError","message":"emulator error"}}');
        } else res.destroy();
      });
    };
  // The data plane's port speaks HTTP and HTTPS (the first byte tells them apart): the openai
  // SDK always opens the Realtime WebSocket with wss://, on the port of the client's base URL.
  const http = createPolyglotServer(
    { tls: { key: tls.key, cert: tls.cert } },
    guard(async (req, res) => {
      if (await handleManagedIdentity(state, req, res)) return;
      if (await handleDeveloperToken(state, req, res)) return;
      await handleDataPlane(state, req, res);
    }),
  );
  http.on('upgrade', realtimeUpgradeHandler(state));
  const sockets = trackSockets(http);
  const https = createHttpsServer(
    { key: tls.key, cert: tls.cert },
    guard((req, res) => handleEntra(state, req, res)),
  );
  let port = 0;
  const gateway = createHttpServer(guard(gatewayHandler(state, () => port)));
  const gatewaySockets = trackSockets(gateway);
  port = await listen(http, options.port);
  const authorityPort = await listen(https, options.authorityPort);
  const gatewayPort = await listen(gateway);
  const openaiEndpoint = `http://127.0.0.1:${port}`;
  state.authorityHost = `https://127.0.0.1:${authorityPort}`;

  const dir = await mkdtemp(join(tmpdir(), 'keyless-emulator-'));
  state.federation = await createFederation(state.authorityHost, join(dir, 'azure-identity-token'), now);
  await rotateTokenFile(state.federation);
  const federation = state.federation;
  const developerCliPath = await writeDeveloperCli(dir, `${openaiEndpoint}${DEVELOPER_TOKEN_PATH}`, tenantId);
  const caCertificatePath = join(dir, 'ca.pem');
  const clientCertificatePath = join(dir, 'client.pem');
  await writeFile(caCertificatePath, tls.cert);
  await writeFile(clientCertificatePath, `${clientCertificate.key}\n${clientCertificate.cert}`, { mode: 0o600 });

  const common = {
    AZURE_OPENAI_ENDPOINT: openaiEndpoint,
    AZURE_OPENAI_DEPLOYMENT: CHAT_DEPLOYMENT,
    AZURE_OPENAI_API_DEPLOYMENT_NAME: CHAT_DEPLOYMENT,
    AZURE_OPENAI_EMBEDDINGS_DEPLOYMENT: EMBEDDINGS_DEPLOYMENT,
    AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME: EMBEDDINGS_DEPLOYMENT,
    OPENAI_API_VERSION: API_VERSION,
    AZURE_OPENAI_API_VERSION: API_VERSION,
    // The service-to-service sample's own API: the audience callers ask tokens for.
    SUMMARIZER_AUDIENCE: state.apiApp.appIdUri,
    SUMMARIZER_TENANT_ID: tenantId,
    SUMMARIZER_JWKS_URI: `${state.authorityHost}/${tenantId}/discovery/v2.0/keys`,
    // The chat deployment also serves Realtime here; its wss:// handshake needs the emulator's CA.
    AZURE_OPENAI_REALTIME_DEPLOYMENT: CHAT_DEPLOYMENT,
    NODE_EXTRA_CA_CERTS: caCertificatePath,
  };
  const entra = {
    AZURE_TENANT_ID: tenantId,
    AZURE_CLIENT_ID: clientId,
    AZURE_AUTHORITY_HOST: state.authorityHost,
    NODE_EXTRA_CA_CERTS: caCertificatePath,
    KEYLESS_STRATEGY: 'msalConfidentialClient',
  };
  const federated = {
    AZURE_TENANT_ID: tenantId,
    AZURE_CLIENT_ID: clientId,
    AZURE_AUTHORITY_HOST: state.authorityHost,
    NODE_EXTRA_CA_CERTS: caCertificatePath,
  };
  const githubRequestUrl = `${state.authorityHost}${GITHUB_TOKEN_PATH}?api-version=2.0`;
  const appService = {
    IDENTITY_ENDPOINT: `${openaiEndpoint}${APP_SERVICE_PATH}`,
    IDENTITY_HEADER: state.identityHeader,
  };

  return {
    openaiEndpoint,
    foundryProjectEndpoint: `${openaiEndpoint}/api/projects/${FOUNDRY_PROJECT}`,
    developer: {
      oid: state.developer.principal.oid,
      upn: state.developer.principal.upn,
      cliPath: developerCliPath,
      get session() {
        return state.developer.session;
      },
      set session(value) {
        state.developer.session = value;
      },
    },
    gateway: {
      endpoint: `http://127.0.0.1:${gatewayPort}`,
      key: state.gatewayKey,
      scope: `${GATEWAY_AUDIENCE}/.default`,
    },
    apiKey: state.apiKey,
    deployments: { chat: CHAT_DEPLOYMENT, embeddings: EMBEDDINGS_DEPLOYMENT },
    apiVersion: API_VERSION,
    authorityHost: state.authorityHost,
    tenantId,
    caCertificate: tls.cert,
    caCertificatePath,
    client: {
      clientId,
      clientSecret: state.client.clientSecret,
      objectId: state.client.oid,
      appIdUri: state.client.appIdUri,
      userScope: `${state.client.appIdUri}/${USER_SCOPE}`,
      certificate: {
        privateKey: clientCertificate.key,
        certificate: clientCertificate.cert,
        thumbprintSha256: clientCertificate.thumbprintSha256,
        path: clientCertificatePath,
      },
    },
    managedIdentity: {
      endpoint: appService.IDENTITY_ENDPOINT,
      header: state.identityHeader,
      imdsHost: openaiEndpoint,
      systemObjectId: state.systemIdentity.oid,
      userAssigned: {
        clientId: state.userIdentity.clientId,
        resourceId: state.userIdentity.resourceId,
        objectId: state.userIdentity.oid,
      },
    },
    federation: {
      kubernetes: {
        issuer: federation.kubernetes.url,
        subject: federation.kubernetesSubject,
        tokenFile: federation.tokenFile,
      },
      github: {
        issuer: federation.github.url,
        subject: federation.githubSubject,
        requestUrl: githubRequestUrl,
        requestToken: federation.githubRequestToken,
      },
      credentials: federation.credentials,
      settings: {
        get kubernetesLifetimeSeconds() {
          return federation.kubernetesLifetimeSeconds;
        },
        set kubernetesLifetimeSeconds(seconds: number) {
          federation.kubernetesLifetimeSeconds = seconds;
        },
        get githubLifetimeSeconds() {
          return federation.githubLifetimeSeconds;
        },
        set githubLifetimeSeconds(seconds: number) {
          federation.githubLifetimeSeconds = seconds;
        },
      },
      rotateTokenFile: (overrides) => rotateTokenFile(federation, overrides),
    },
    apiApp: { appId: state.apiApp.appId, appIdUri: state.apiApp.appIdUri, scope: `${state.apiApp.appIdUri}/.default` },
    issuer: issuer.issuer,
    jwksUri: `${state.authorityHost}/${tenantId}/discovery/v2.0/keys`,
    signInUser: async (name, signIn = {}) => {
      const oid = randomUUID();
      const upn = `${(name ?? `user-${state.users.size + 1}`).toLowerCase().replace(/[^a-z0-9.-]/g, '-')}@keyless.example`;
      state.users.set(oid, { oid, upn, consented: signIn.consented ?? true });
      const mintFor = (options: SignInOptions) => {
        if (options.consented !== undefined)
          (state.users.get(oid) as { consented: boolean }).consented = options.consented;
        return issuer.mint(
          { oid, upn, appId: randomUUID(), scp: USER_SCOPE },
          options.lifetimeSeconds ?? state.settings.lifetimeSeconds,
          state.client.appIdUri,
        );
      };
      return { oid, upn, token: await mintFor(signIn), signInAgain: (options = {}) => mintFor(options) };
    },
    grantAppRole: (oid, role = API_APP_ROLE) => {
      const held = state.apiApp.roles.get(oid) ?? new Set<string>();
      held.add(role);
      state.apiApp.roles.set(oid, held);
    },
    removeAppRole: (oid, role) => {
      if (role === undefined) state.apiApp.roles.delete(oid);
      else state.apiApp.roles.get(oid)?.delete(role);
    },
    settings: state.settings,
    faults: state.faults,
    counters: state.counters,
    log: state.log,
    env(kind) {
      switch (kind) {
        case 'apiKey':
          return { ...common, AZURE_OPENAI_API_KEY: state.apiKey, KEYLESS_STRATEGY: 'apiKey' };
        case 'managedIdentity':
          return { ...common, ...appService, KEYLESS_STRATEGY: 'managedIdentity' };
        case 'imds':
          return { ...common, AZURE_POD_IDENTITY_AUTHORITY_HOST: openaiEndpoint, KEYLESS_STRATEGY: 'managedIdentity' };
        case 'msalSecret':
          return { ...common, ...entra, AZURE_CLIENT_SECRET: state.client.clientSecret };
        case 'foundryProject':
          return {
            ...common,
            ...entra,
            AZURE_CLIENT_SECRET: state.client.clientSecret,
            AZURE_OPENAI_ENDPOINT: `${openaiEndpoint}/api/projects/${FOUNDRY_PROJECT}`,
          };
        case 'developerCli':
          return {
            ...common,
            KEYLESS_STRATEGY: 'default',
            AZURE_TOKEN_CREDENTIALS: 'dev',
            PATH: `${developerCliPath}${delimiter}${process.env.PATH ?? ''}`,
          };
        case 'msalCertificate':
          return { ...common, ...entra, AZURE_CLIENT_CERTIFICATE_PATH: clientCertificatePath };
        case 'default':
          // DefaultAzureCredential walks its chain to managed identity (App Service protocol).
          return { ...common, ...appService, KEYLESS_STRATEGY: 'default' };
        case 'workloadIdentity':
          // What the AKS workload identity webhook injects; nothing tells keyless the strategy.
          return { ...common, ...federated, AZURE_FEDERATED_TOKEN_FILE: federation.tokenFile };
        case 'githubActions':
          // What a GitHub Actions job with `permissions: id-token: write` has, plus the app's ids.
          return {
            ...common,
            ...federated,
            ACTIONS_ID_TOKEN_REQUEST_URL: githubRequestUrl,
            ACTIONS_ID_TOKEN_REQUEST_TOKEN: federation.githubRequestToken,
          };
        default:
          throw new Error(
            `emulator.env: unknown kind ${JSON.stringify(String(kind))}. Use one of apiKey, managedIdentity, imds, msalSecret, msalCertificate, default, workloadIdentity or githubActions.`,
          );
      }
    },
    grantRole: (oid, role = 'Cognitive Services OpenAI User') => {
      const held = state.roles.get(oid) ?? new Set<string>();
      held.add(role);
      state.roles.set(oid, held);
    },
    removeRole: (oid, role) => {
      if (role === undefined) state.roles.delete(oid);
      else state.roles.get(oid)?.delete(role);
    },
    revokeTokens: (token) => issuer.revoke(token),
    challengeTokens: (claims) => issuer.challenge(claims),
    setDeployment: (name, kind) =>
      kind === undefined ? state.deployments.delete(name) : state.deployments.set(name, kind),
    resetCounters() {
      Object.assign(state.counters, emptyCounters());
      state.log.length = 0;
    },
    async close() {
      for (const socket of [...sockets, ...gatewaySockets]) socket.destroy();
      https.closeAllConnections();
      await Promise.all([http, https, gateway].map((server) => new Promise((r) => server.close(r))));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function emptyCounters(): EmulatorCounters {
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

/** Every open connection of a server, so that close() can end them (keep-alive, WebSockets). */
function trackSockets(server: NetServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  return sockets;
}

function listen(server: NetServer, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1', backlog: 4096 }, () => resolve((server.address() as AddressInfo).port));
  });
}
