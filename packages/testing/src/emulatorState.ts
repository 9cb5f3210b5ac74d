import type { ServerResponse } from 'node:http';
import type { CertificateMaterial } from './certificates.js';
import type { DeveloperState } from './developerCli.js';
import type { Fault, FaultScript, FaultTarget } from './faults.js';
import type { FederationState } from './federation.js';
import { sendJson } from './http.js';
import type { Principal, TokenIssuer } from './tokenIssuer.js';

/** How managed-identity answers write `expires_on` (real hosts differ). */
export type ExpiresOnFormat = 'epoch-string' | 'epoch-number' | 'iso' | 'date';

/** Token settings tests may change at any time. */
export interface TokenSettings {
  /** Lifetime of issued tokens, seconds. Default 3600. */
  lifetimeSeconds: number;
  /** `refresh_in` returned by the Entra token endpoint, seconds; omitted when undefined. */
  refreshInSeconds: number | undefined;
  /** Format of managed identity's `expires_on`. Default epoch-string (what App Service sends). */
  expiresOnFormat: ExpiresOnFormat;
  /** Issue tokens whose `exp` is this many seconds earlier than the lifetime announced. */
  expireEarlySeconds: number;
  /** Audience of issued tokens; change it to produce wrong-audience tokens. */
  audience: string;
  /**
   * The resource's `disableLocalAuth`: every API key is answered 403 AuthenticationTypeDisabled,
   * as Azure does once key authentication is turned off. Default false.
   */
  localAuthDisabled: boolean;
}

/** Counters a test can assert on. */
export interface EmulatorCounters {
  /** Token requests that reached each token endpoint (faulted ones included). */
  tokenRequests: { entra: number; appService: number; imds: number; developerCli: number };
  /** Tokens actually issued. */
  tokensIssued: number;
  /** Token endpoint requests carrying a `claims` parameter (CAE challenges answered). */
  tokenRequestsWithClaims: number;
  /** OIDC metadata and instance-discovery requests. */
  metadataRequests: number;
  /** Data-plane requests by the auth they carried. */
  dataPlane: { bearer: number; apiKey: number; both: number; none: number };
  /** Data-plane requests refused for auth (401/400). */
  dataPlaneRejected: number;
  /** Expired tokens presented to the data plane. keyless must keep this at 0. */
  expiredTokensReceived: number;
  /** 401 claims challenges the data plane sent (see `challengeTokens`). */
  claimsChallengesSent: number;
  /** Requests a `hang` fault accepted and never answered. */
  hungRequests: number;
  /** Of those, the ones whose connection the client has not closed yet (a leak, once it gave up). */
  hungRequestsOpen: number;
  /** Token requests (Entra POSTs) sent with a chunked body instead of a Content-Length. */
  chunkedTokenRequests: number;
  /** Federated client assertions the token endpoint accepted and rejected. */
  federatedAssertions: { accepted: number; rejected: number };
  /** Requests to the GitHub Actions OIDC token service (ACTIONS_ID_TOKEN_REQUEST_URL). */
  githubTokenRequests: number;
  /** Realtime WebSocket sessions opened (handshakes that passed auth). */
  realtimeSessions: number;
  /** File uploads accepted. */
  fileUploads: number;
  /** Requests that reached the API Management-like gateway (refused ones included). */
  gatewayRequests: number;
  /** On-behalf-of token requests: user tokens issued, and requests refused (AADSTS500133, 50013, 500131, 65001…). */
  onBehalfOf: { issued: number; refused: number };
}

/** One line of the request log. Never holds a secret: no headers, no bodies, no query strings. */
export interface RequestLogEntry {
  time: number;
  endpoint: FaultTarget | 'metadata' | 'gateway';
  method: string;
  path: string;
  status: number;
  auth?: 'bearer' | 'api-key' | 'both' | 'none';
  /** The `jti` of the bearer token presented, if it was one of ours: tells tokens apart, grants nothing. */
  tokenId?: string;
  /** The `oid` of that token: on an answered (2xx) data-plane request, the principal it acted as. */
  oid?: string;
}

/** A registered principal that can also sign in (the confidential client). */
export interface ConfidentialClient extends Principal {
  clientId: string;
  /** Its Application ID URI (`api://{clientId}`): the audience of users' tokens for it, which it may exchange (OBO). */
  appIdUri: string;
  clientSecret: string;
  certificate: CertificateMaterial;
}

/** Everything the handlers share. */
export interface EmulatorState {
  readonly tenantId: string;
  readonly issuer: TokenIssuer;
  readonly faults: FaultScript;
  readonly settings: TokenSettings;
  readonly counters: EmulatorCounters;
  readonly log: RequestLogEntry[];
  readonly apiKey: string;
  /** The gateway's subscription key (`Ocp-Apim-Subscription-Key`). */
  readonly gatewayKey: string;
  readonly identityHeader: string;
  readonly client: ConfidentialClient;
  readonly systemIdentity: Principal;
  readonly userIdentity: Principal & { clientId: string; resourceId: string };
  /** Role names each object id holds on the resource (see {@link INFERENCE_ROLES}). */
  readonly roles: Map<string, Set<string>>;
  /** Deployment name -> model kind. */
  readonly deployments: Map<string, 'chat' | 'embeddings'>;
  /**
   * A second app registration exposing an API (the service-to-service sample's summarizer): tokens
   * for its audience carry the app roles each principal (by object id) was assigned.
   */
  readonly apiApp: { appId: string; appIdUri: string; roles: Map<string, Set<string>> };
  /** External OIDC issuers, federated credentials and the workload-identity token file. */
  federation: FederationState;
  /** Files uploaded through `POST /openai/files`, by id. */
  readonly files: Map<string, StoredFile>;
  /** Users signed in with {@link Emulator.signInUser}, by object id. */
  readonly users: Map<string, SignedInUserRecord>;
  /** The developer the stand-in `az` / `azd` sign in as. */
  readonly developer: DeveloperState;
  authorityHost: string;
  /** The emulator's clock (epoch ms): token times, expiry checks, managed identity's `expires_on`, the log. */
  readonly now: () => number;
}

/** A user who signed in: who they are, and whether they consented to the API acting for them. */
export interface SignedInUserRecord {
  oid: string;
  upn: string;
  /** Consent for the API app to call Azure OpenAI on the user's behalf; false answers OBO with AADSTS65001. */
  consented: boolean;
}

/** An uploaded file: what the files API lists, and its size (the bytes are not kept). */
export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  bytes: number;
  createdAt: number;
}

const LOG_LIMIT = 20_000;

/**
 * Built-in roles whose data actions include inference, as on Azure: the least-privilege
 * "Cognitive Services OpenAI User", "Cognitive Services OpenAI Contributor", and the broader
 * "Cognitive Services User". Owner and Contributor carry no data actions: they are refused.
 */
export const INFERENCE_ROLES: ReadonlySet<string> = new Set([
  'Cognitive Services OpenAI User',
  'Cognitive Services OpenAI Contributor',
  'Cognitive Services User',
]);

/**
 * Foundry's roles: both grant the Cognitive Services data actions, the AIServices ones (agents,
 * threads) included, which the OpenAI roles above do not grant.
 */
export const FOUNDRY_ROLES: ReadonlySet<string> = new Set(['Azure AI User', 'Azure AI Developer']);

/** Whether `oid` holds a role granting the data action `action`, as Azure's built-in roles do. */
export function mayPerform(state: EmulatorState, oid: string, action: string): boolean {
  const granting = /\/accounts\/AIServices\//.test(action)
    ? FOUNDRY_ROLES
    : new Set([...INFERENCE_ROLES, ...FOUNDRY_ROLES]);
  for (const role of state.roles.get(oid) ?? []) if (granting.has(role)) return true;
  return false;
}

/** Appends to the bounded request log. */
export function record(state: EmulatorState, entry: Omit<RequestLogEntry, 'time'>): void {
  if (state.log.length >= LOG_LIMIT) state.log.shift();
  state.log.push({ time: state.now(), ...entry });
}

/**
 * Plays the next scripted fault of `target`, if any. Returns true when it answered the request
 * (or dropped the connection); false when the request should be served normally.
 */
export async function playFault(
  state: EmulatorState,
  target: FaultTarget,
  res: ServerResponse,
  defaultBody: (status: number) => unknown,
): Promise<boolean> {
  const fault: Fault | undefined = state.faults.next(target);
  if (fault === undefined) return false;
  if (fault.hang === true) {
    state.counters.hungRequests += 1;
    state.counters.hungRequestsOpen += 1;
    res.socket?.once('close', () => {
      state.counters.hungRequestsOpen -= 1;
    });
    return true; // never answered: the client must give up (close() destroys what is left)
  }
  if (fault.delayMs !== undefined) await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  if (fault.reset === true) {
    res.socket?.destroy();
    return true;
  }
  if (fault.status === undefined) return false;
  const headers: Record<string, string> = {};
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  if (fault.location !== undefined) headers.location = fault.location;
  if (fault.wwwAuthenticate !== undefined) headers['www-authenticate'] = fault.wwwAuthenticate;
  if (typeof fault.body === 'string') {
    res.writeHead(fault.status, { 'content-type': 'text/plain', ...headers });
    res.end(fault.body);
  } else {
    sendJson(res, fault.status, fault.body ?? defaultBody(fault.status), headers);
  }
  return true;
}

/**
 * The audience and roles of a token asked for `resource` by `principal`: the API app's audience
 * carries its app roles; Azure OpenAI's audience follows `settings.audience`; others pass through.
 */
export function audienceFor(
  state: EmulatorState,
  resource: string,
  principalOid: string,
): { audience: string; roles: string[] } {
  const trimmed = resource.replace(/\/$/, '');
  if (trimmed === state.apiApp.appIdUri || trimmed === state.apiApp.appId) {
    return { audience: state.apiApp.appIdUri, roles: [...(state.apiApp.roles.get(principalOid) ?? [])] };
  }
  return {
    audience: trimmed === 'https://cognitiveservices.azure.com' ? state.settings.audience : resource,
    roles: [],
  };
}
