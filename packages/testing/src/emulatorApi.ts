import type { EmulatorCounters, RequestLogEntry, TokenSettings } from './emulatorState.js';
import type { FaultScript } from './faults.js';
import type { FederatedCredential } from './federation.js';

// What a test (or a user's CI) sees of the emulator: its options, its handle and the kinds of
// environment it writes. startEmulator builds it; nothing here runs.

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
