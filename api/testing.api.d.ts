import { IncomingHttpHeaders } from 'node:http';

/** A PEM key pair with its certificate. */
interface CertificateMaterial {
    /** PEM private key (PKCS#8). */
    key: string;
    /** PEM certificate. */
    cert: string;
    /** SHA-256 thumbprint, lowercase hex without colons. */
    thumbprintSha256: string;
}
/** A self-signed TLS certificate for 127.0.0.1 and localhost, valid for a day. */
declare function createServerCertificate(): Promise<CertificateMaterial>;

/** The endpoints faults can be scripted on. */
type FaultTarget = 'token' | 'appService' | 'imds' | 'dataPlane';
/** One scripted fault. Bounded: it fires `times` times (default 1), then is gone. */
interface Fault {
    /** HTTP status to answer with (400, 404, 410, 429, 500, 503…). Omit with `reset` or a pure delay. */
    status?: number;
    /** Body to send (JSON-encoded unless a string). A realistic one is chosen when omitted. */
    body?: unknown;
    /** `Retry-After` header: seconds (number) or any string (e.g. an HTTP date). */
    retryAfter?: number | string;
    /** `retry-after-ms` header. */
    retryAfterMs?: number;
    /** `Location` header, for scripted redirects (301/302/303/307/308). */
    location?: string;
    /** `WWW-Authenticate` header (e.g. a CAE insufficient_claims challenge). */
    wwwAuthenticate?: string;
    /** Wait this long before answering (or before passing on, when no status/reset is given). */
    delayMs?: number;
    /** Destroy the connection without answering. */
    reset?: boolean;
    /**
     * Accept the request and never answer (a black-holed proxy, a stuck IMDS): the connection stays
     * open until the client gives up or the emulator closes.
     */
    hang?: boolean;
    /** How many requests it applies to. Default 1. */
    times?: number;
    /** Apply to every Nth request only (1 = every request) while `times` lasts. */
    every?: number;
}
/** Per-endpoint queues of scripted faults. Deterministic: no randomness. */
declare class FaultScript {
    #private;
    /** Queues a fault for an endpoint. */
    add(target: FaultTarget, fault: Fault): void;
    /** Removes every queued fault (of one endpoint, or all). */
    clear(target?: FaultTarget): void;
    /** How many queued applications are left for an endpoint. */
    pending(target: FaultTarget): number;
    /** The fault for this request, if any; consumes one application. */
    next(target: FaultTarget): Fault | undefined;
}

/** The audience Entra expects in every federated assertion. */
declare const TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";
/** A federated identity credential on the app registration: whose tokens it trusts. */
interface FederatedCredential {
    issuer: string;
    subject: string;
    audiences: string[];
}

/** How managed-identity answers write `expires_on` (real hosts differ). */
type ExpiresOnFormat = 'epoch-string' | 'epoch-number' | 'iso' | 'date';
/** Token settings tests may change at any time. */
interface TokenSettings {
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
interface EmulatorCounters {
    /** Token requests that reached each token endpoint (faulted ones included). */
    tokenRequests: {
        entra: number;
        appService: number;
        imds: number;
        developerCli: number;
    };
    /** Tokens actually issued. */
    tokensIssued: number;
    /** Token endpoint requests carrying a `claims` parameter (CAE challenges answered). */
    tokenRequestsWithClaims: number;
    /** OIDC metadata and instance-discovery requests. */
    metadataRequests: number;
    /** Data-plane requests by the auth they carried. */
    dataPlane: {
        bearer: number;
        apiKey: number;
        both: number;
        none: number;
    };
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
    federatedAssertions: {
        accepted: number;
        rejected: number;
    };
    /** Requests to the GitHub Actions OIDC token service (ACTIONS_ID_TOKEN_REQUEST_URL). */
    githubTokenRequests: number;
    /** Realtime WebSocket sessions opened (handshakes that passed auth). */
    realtimeSessions: number;
    /** File uploads accepted. */
    fileUploads: number;
    /** Requests that reached the API Management-like gateway (refused ones included). */
    gatewayRequests: number;
    /** On-behalf-of token requests: user tokens issued, and requests refused (AADSTS500133, 50013, 500131, 65001…). */
    onBehalfOf: {
        issued: number;
        refused: number;
    };
}
/** One line of the request log. Never holds a secret: no headers, no bodies, no query strings. */
interface RequestLogEntry {
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

/** The deterministic answer: the last user message, echoed. */
declare function answerFor(messages: unknown): string;
/** A deterministic unit vector for a text: equal texts embed equally, similar texts nearby. */
declare function embed(text: string, dimensions?: number): number[];

/**
 * A fetch that lets at most `limit` requests onto the network at once, as a production agent's
 * connection pool would. Herds of thousands of concurrent requests still reach the code under
 * test all at once; only the sockets are pooled, so loopback listen backlogs do not overflow.
 */
declare function limitConcurrency(limit: number, base?: typeof fetch): typeof fetch;

/**
 * A clock tests move by hand, with timers that fire when it is moved past them: time-dependent
 * code is tested without sleeping. It has the shape of `Clock` from `@keyless/core` (pass it as
 * `createAuth(strategy, { clock })`).
 */
declare class ManualClock {
    #private;
    /** @param startWall - Initial wall-clock time (epoch ms). Default: now, so real tokens look fresh. */
    constructor(startWall?: number);
    /** Wall-clock time, epoch milliseconds. */
    now: () => number;
    /** Monotonic time in milliseconds; only {@link advance} moves it. */
    monotonic: () => number;
    /** Runs `callback` once the clock has been advanced `delayMs`; returns a function that cancels it. */
    setTimer: (delayMs: number, callback: () => void) => (() => void);
    /** Timers not yet fired or cancelled. */
    get pendingTimers(): number;
    /** Moves both clocks forward, firing every timer that falls due, in order. */
    advance(ms: number): void;
    /** Moves only the wall clock (an NTP correction): `delta` ms, negative to go back. */
    moveWall(delta: number): void;
    /** Sets only the wall clock to an absolute time. */
    setWall(epochMs: number): void;
}
/** Lets pending promise callbacks (and I/O callbacks already queued) run. */
declare const flushPromises: () => Promise<void>;

/** The environment kinds {@link Emulator.env} can produce. */
type EmulatorEnvKind = 'apiKey' | 'managedIdentity' | 'imds' | 'msalSecret' | 'msalCertificate' | 'default' | 'workloadIdentity' | 'githubActions'
/** The service principal, calling the emulator's Foundry project endpoint (AZURE_OPENAI_ENDPOINT). */
 | 'foundryProject'
/**
 * A developer signed in to the Azure CLI: DefaultAzureCredential's developer links
 * (`AZURE_TOKEN_CREDENTIALS=dev`) with the stand-in `az` and `azd` first on PATH.
 */
 | 'developerCli';
/** Options of {@link startEmulator}. */
interface EmulatorOptions {
    /** Port of the HTTP server (data plane + managed identity). Default: any free port. */
    port?: number | undefined;
    /** Port of the HTTPS server (Entra ID authority). Default: any free port. */
    authorityPort?: number | undefined;
    /** Lifetime of issued tokens in seconds. Default 3600. */
    tokenLifetimeSeconds?: number | undefined;
    /** `refresh_in` returned by the Entra token endpoint. Default none. */
    refreshInSeconds?: number | undefined;
    /** TLS key and certificate for the authority (reuse one to keep a trusted CA). Default: generated. */
    tls?: {
        key: string;
        cert: string;
    } | undefined;
}
/** A running emulator. All URLs are on 127.0.0.1. */
interface Emulator {
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
    readonly gateway: {
        readonly endpoint: string;
        readonly key: string;
        readonly scope: string;
    };
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
    readonly deployments: {
        chat: string;
        embeddings: string;
    };
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
        certificate: {
            privateKey: string;
            certificate: string;
            thumbprintSha256: string;
            path: string;
        };
    };
    /** Managed identity endpoints and identities. */
    readonly managedIdentity: {
        /** App Service style IDENTITY_ENDPOINT and IDENTITY_HEADER. */
        endpoint: string;
        header: string;
        /** IMDS-style host (AZURE_POD_IDENTITY_AUTHORITY_HOST). */
        imdsHost: string;
        systemObjectId: string;
        userAssigned: {
            clientId: string;
            resourceId: string;
            objectId: string;
        };
    };
    /**
     * Federated identity credentials (workload identity, GitHub Actions OIDC): two external OIDC
     * issuers served under the authority (`/oidc/kubernetes`, `/oidc/github`: discovery and JWKS),
     * the app registration's federated credentials (edit `credentials` to test mismatches), the
     * token file a kubelet would project, and GitHub's token service.
     */
    readonly federation: {
        readonly kubernetes: {
            readonly issuer: string;
            readonly subject: string;
            readonly tokenFile: string;
        };
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
        readonly settings: {
            kubernetesLifetimeSeconds: number;
            githubLifetimeSeconds: number;
        };
        /** Writes a fresh service-account token to the file (the kubelet rotating it). */
        rotateTokenFile(overrides?: {
            subject?: string;
            audience?: string;
            lifetimeSeconds?: number;
        }): Promise<void>;
    };
    /**
     * A second app registration that exposes an API (as a service's own app registration does):
     * tokens for `scope` have the audience `appIdUri` and carry the app roles assigned to the
     * caller. "Summarize.Invoke" is assigned to the confidential client and both managed
     * identities at start. Verify them against `jwksUri`, issuer `issuer`.
     */
    readonly apiApp: {
        readonly appId: string;
        readonly appIdUri: string;
        readonly scope: string;
    };
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
interface SignInOptions {
    /** Whether the user consented to the API acting for them (on-behalf-of). Default true. */
    consented?: boolean | undefined;
    /** Lifetime of the user's token, seconds. Default the emulator's token lifetime. */
    lifetimeSeconds?: number | undefined;
}
/** A signed-in user: who, and the token their client sends to your API. */
interface SignedInUser {
    readonly oid: string;
    readonly upn: string;
    /** An access token for the registered client's API, as the user's sign-in gave it. */
    readonly token: string;
    /** Another token for the same user (a later sign-in): a different assertion, the same person. */
    signInAgain(options?: SignInOptions): Promise<string>;
}
/**
 * Starts a local Entra ID + managed identity + Azure OpenAI emulator on 127.0.0.1, speaking the
 * real wire protocols so that the real `@azure/identity`, `@azure/msal-node`, `openai` and
 * `@langchain/openai` can be tested against it.
 */
declare function startEmulator(options?: EmulatorOptions): Promise<Emulator>;

/** What a recording server received. */
interface RecordedRequest {
    method: string;
    path: string;
    headers: IncomingHttpHeaders;
    body: string;
}
/** A loopback server that answers 200 to everything and records it all, headers included. */
interface RecordingServer {
    readonly url: string;
    readonly requests: readonly RecordedRequest[];
    /** Every byte received (request lines, headers, bodies), for canary searches. */
    text(): string;
    close(): Promise<void>;
}
/**
 * Starts a server on another loopback port that records what reaches it: point a redirect at it
 * and assert that no credential arrived.
 */
declare function startRecordingServer(): Promise<RecordingServer>;

/**
 * A real redis-server (the Debian package, or any on PATH) on a free loopback port, persistence
 * off, for tests of a shared token cache: `kill()` crashes it, `restart()` brings it back empty.
 */
interface RedisServer {
    /** `redis://127.0.0.1:<port>`, or `rediss://:<password>@…` with `tls` and a password. */
    readonly url: string;
    /** With `tls`: the CA certificate (PEM) that signed the server's certificate. */
    readonly ca: string | undefined;
    readonly port: number;
    /** Kills it with SIGKILL, as a crash would. */
    kill(): Promise<void>;
    /** Starts it again on the same port, empty. */
    restart(): Promise<void>;
    close(): Promise<void>;
}
/** Options of {@link startRedisServer}. */
interface RedisServerOptions {
    /** TLS only (`rediss://`), with a certificate made now, as Azure Cache for Redis on port 6380. */
    tls?: boolean | undefined;
    /** A password clients must give (`requirepass`), as an access key. */
    password?: string | undefined;
}
/** Starts redis-server; rejects with a clear message when it is not installed. */
declare function startRedisServer(options?: RedisServerOptions): Promise<RedisServer>;

export { type CertificateMaterial, type Emulator, type EmulatorCounters, type EmulatorEnvKind, type EmulatorOptions, type ExpiresOnFormat, type Fault, FaultScript, type FaultTarget, type FederatedCredential, ManualClock, type RecordedRequest, type RecordingServer, type RedisServer, type RequestLogEntry, type SignInOptions, type SignedInUser, TOKEN_EXCHANGE_AUDIENCE, type TokenSettings, answerFor, createServerCertificate, embed, flushPromises, limitConcurrency, startEmulator, startRecordingServer, startRedisServer };
