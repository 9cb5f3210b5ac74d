import { KeyObject } from 'node:crypto';

/** What the token cache reports. Events carry no token, key or secret: safe to log as they are. */
type AuthEvent = {
    type: 'refresh-started';
    reason: RefreshReason;
    attempt: number;
} | {
    type: 'token-acquired';
    /** Epoch ms at which the token expires. */
    expiresOn: number;
    /** Epoch ms from which keyless refreshes it in the background. */
    refreshAfter: number;
    /** True when the token arrived after invalidate() and was dropped. */
    discarded: boolean;
} | {
    type: 'refresh-failed';
    reason: RefreshReason;
    attempt: number;
    /** Stable code of the (redacted) error. */
    code: string;
    /** The redacted error message. */
    message: string;
    /** Whether a still-valid token keeps being served, so no request fails. */
    servingCachedToken: boolean;
    /** Milliseconds before keyless tries again in the background. */
    retryInMs: number;
} | {
    type: 'invalidated';
} | {
    /**
     * A sibling Auth for another scope was made (`forScope`): the endpoint calls for it (a
     * Foundry project), or the resource named that audience in a 401.
     */
    type: 'scope-selected';
    scope: string;
} | {
    /**
     * A 401 (or a claims challenge) asked for another forced refresh too soon after the last
     * one: the token was kept and the failure goes to the caller. The resource rejects fresh
     * tokens, which another one would not change.
     */
    type: 'refresh-paced';
    /** Why the refresh was asked for. */
    reason: 'invalidated' | 'claims';
    /** Milliseconds before keyless will force a refresh again. */
    retryInMs: number;
} | {
    /** What happened at the shared cache (`sharedCache`): see the core README, "Running many instances". */
    type: 'shared-cache';
    outcome: 'hit' | 'waited' | 'miss' | 'stored' | 'lease-timeout' | 'unreadable' | 'unavailable' | 'removed';
    /** For `unavailable`: why (redacted). */
    message?: string;
    /** For `unavailable`: when the store is tried again (ms). */
    retryInMs?: number;
};
/**
 * Why a token request was made: no token yet, background (soft window), blocking (hard window),
 * expired, after invalidate() (a 401), or a claims challenge.
 */
type RefreshReason = 'cold' | 'background' | 'blocking' | 'expired' | 'invalidated' | 'claims';
/** A subscriber to {@link AuthEvent}s. */
type AuthEventListener = (event: AuthEvent) => void;

/**
 * The extension point: anything shaped like `@azure/core-auth`'s `TokenCredential` plugs into
 * keyless, including every credential class of `@azure/identity`. Types only (plus a guard), so
 * importing it loads nothing.
 */
/** A token and when it stops working. The shape `@azure/core-auth` uses. */
interface AccessToken {
    /** The bearer token. Secret: never log it. */
    token: string;
    /** Expiry as epoch milliseconds. keyless also accepts seconds, a numeric string or a date string. */
    expiresOnTimestamp: number | string;
    /** When the issuer suggests refreshing (epoch ms), if it said (`refresh_in`). */
    refreshAfterTimestamp?: number | string | undefined;
    /** Token type, `Bearer` when absent. */
    tokenType?: string | undefined;
}
/** Options passed to {@link TokenCredential.getToken}. A structural subset of core-auth's. */
interface GetTokenOptions {
    /** Cancels the token request. */
    abortSignal?: AbortSignal;
    /** Additional claims from a `WWW-Authenticate: Bearer error="insufficient_claims"` challenge. */
    claims?: string;
    /** Tenant to request the token from, when the credential allows it. */
    tenantId?: string;
    /** Ask for a continuous-access-evaluation capable token. */
    enableCae?: boolean;
}
/** Anything that can produce a token for a scope: `@azure/identity` credentials and your own. */
interface TokenCredential {
    getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null>;
}
/** Duck-typed guard: true for any object with a `getToken` function (works across package copies). */
declare function isTokenCredential(value: unknown): value is TokenCredential;

/**
 * Where credentials come from: a discriminated union on `kind`. Options that cannot be combined
 * are blocked in the types (`?: never`) and again at runtime with a message naming both.
 */
type Strategy = DefaultStrategy | ManagedIdentityStrategy | MsalConfidentialClientStrategy | ApiKeyStrategy | CredentialStrategy;
/** The strategy names, as used by `KEYLESS_STRATEGY`. */
type StrategyKind = Strategy['kind'];
/**
 * `DefaultAzureCredential` from `@azure/identity` (install it): environment, workload identity,
 * managed identity, then developer logins. Convenient on a laptop; in production prefer an
 * explicit strategy (Microsoft's own guidance), which is faster and cannot pick the wrong identity.
 */
interface DefaultStrategy {
    kind: 'default';
    /** Tenant to authenticate in. */
    tenantId?: string | undefined;
    /** Client id of a user-assigned managed identity to use in the chain. */
    managedIdentityClientId?: string | undefined;
    /** Client id for workload identity in the chain. */
    workloadIdentityClientId?: string | undefined;
    /** Authority host, e.g. `https://login.microsoftonline.us` for a sovereign cloud. */
    authorityHost?: string | undefined;
    /** Any other `DefaultAzureCredentialOptions`, passed through unchanged. */
    credentialOptions?: Record<string, unknown> | undefined;
}
/**
 * Managed identity (App Service, Functions, Container Apps, VMs/IMDS, AKS, Arc, Cloud Shell…)
 * through `@azure/msal-node` (install it). System-assigned when no id is given, else exactly one
 * of `clientId`, `resourceId`, `objectId` for a user-assigned identity.
 */
type ManagedIdentityStrategy = {
    kind: 'managedIdentity';
} & ({
    clientId?: undefined;
    resourceId?: undefined;
    objectId?: undefined;
} | {
    clientId: string;
    resourceId?: never;
    objectId?: never;
} | {
    resourceId: string;
    clientId?: never;
    objectId?: never;
} | {
    objectId: string;
    clientId?: never;
    resourceId?: never;
});
/** A client certificate for {@link MsalConfidentialClientStrategy}. */
type ClientCertificate = {
    /**
     * SHA-256 thumbprint (hex) of the certificate. Optional when the PEM also holds the certificate,
     * from which keyless computes it.
     */
    thumbprintSha256?: string | undefined;
    /** Public certificate chain (PEM) to send as `x5c`, for subject-name/issuer authentication. */
    x5c?: string | undefined;
    /** Password of an encrypted private key. */
    password?: string | undefined;
} & ({
    privateKey: string;
    path?: never;
} | {
    path: string;
    privateKey?: never;
});
/**
 * A confidential client (service principal) through `@azure/msal-node` (install it):
 * exactly one of a client secret, a certificate or a client-assertion callback.
 */
type MsalConfidentialClientStrategy = {
    kind: 'msalConfidentialClient';
    /** Directory (tenant) id: a GUID or a verified domain. */
    tenantId: string;
    /** Application (client) id. */
    clientId: string;
    /** Authority host. Default `https://login.microsoftonline.com`. */
    authorityHost?: string | undefined;
    /**
     * Extra CA certificates (PEM) to trust for the authority, e.g. a local emulator. Production
     * authorities never need this.
     */
    ca?: string | undefined;
    /**
     * The HTTP(S) proxy for token requests (`http://proxy.corp:3128`), or `false` for none. Default:
     * HTTPS_PROXY / HTTP_PROXY / NO_PROXY from the environment (either case), per URL, as
     * @azure/identity does.
     */
    proxy?: string | false | undefined;
} & ({
    clientSecret: string;
    certificate?: never;
    clientAssertion?: never;
} | {
    certificate: ClientCertificate;
    clientSecret?: never;
    clientAssertion?: never;
} | {
    /**
     * Returns a fresh signed assertion (e.g. a federated workload-identity token) on each call.
     * A callback, not a string: static assertions expire (AADSTS700024).
     */
    clientAssertion: () => Promise<string> | string;
    clientSecret?: never;
    certificate?: never;
});
/** An Azure OpenAI API key, sent as the `api-key` header. */
interface ApiKeyStrategy {
    kind: 'apiKey';
    /** The resource's key. Secret: keyless never prints it. */
    key: string;
}
/** Any `TokenCredential` (every `@azure/identity` credential, or your own): the escape hatch. */
interface CredentialStrategy {
    kind: 'credential';
    credential: TokenCredential;
}

/**
 * Time as the token cache sees it. Injected so tests can move time (and move it backwards)
 * without sleeping; `ManualClock` from `@keyless/testing` is one.
 */
interface Clock {
    /** Wall-clock time, epoch milliseconds (comparable with token expiry). */
    now(): number;
    /** A clock that never goes backwards, in milliseconds from an arbitrary origin. */
    monotonic(): number;
    /**
     * Runs `callback` after `delayMs`; returns a function that cancels it. A deadline (of a token
     * request, of a store call) must never keep the process alive; a pause a caller is waiting
     * through (the shared cache polling for another instance's token) asks for `keepAlive`, as a
     * pending request would keep it alive. Default: the process's timers, unref'd unless keepAlive.
     */
    setTimer?(delayMs: number, callback: () => void, options?: TimerOptions): () => void;
}
/** How a timer relates to the process's lifetime; see {@link Clock.setTimer}. */
interface TimerOptions {
    /** True when a caller is waiting on the timer: the process stays alive until it fires. Default false. */
    keepAlive?: boolean | undefined;
}
/** The process clock: `Date.now()` and `performance.now()`, read on each call, never captured. */
declare const systemClock: Required<Clock>;

/**
 * Stable error codes. Match on `code` (never on message text): codes do not change between
 * minor versions, messages may.
 */
type KeylessErrorCode = 
/** A setting is missing, malformed or out of range. */
'CONFIG_INVALID'
/** Two settings that cannot be combined were both given. */
 | 'CONFIG_CONFLICT'
/** An optional peer dependency (`@azure/identity`, `@azure/msal-node`) is not installed. */
 | 'MISSING_PEER_DEPENDENCY'
/** The credential cannot work in this environment (no managed identity, no developer login…). */
 | 'CREDENTIAL_UNAVAILABLE'
/** The token endpoint answered with an error or could not be reached. */
 | 'TOKEN_REQUEST_FAILED'
/** The token endpoint did not answer within `tokenRequestTimeoutMs`; the request was abandoned. */
 | 'TOKEN_REQUEST_TIMEOUT'
/** The token endpoint asked us to slow down for longer than keyless is willing to wait. */
 | 'THROTTLED'
/** The token was accepted but the principal lacks the data-plane role. Refreshing never fixes it. */
 | 'PERMISSION_DENIED'
/** Azure OpenAI rejected the token (invalid, expired, wrong audience) even after a refresh. */
 | 'INVALID_TOKEN'
/** Azure OpenAI rejected the API key. */
 | 'INVALID_API_KEY'
/** The resource has key authentication disabled (`disableLocalAuth`): only Entra ID tokens work. */
 | 'KEY_AUTH_DISABLED'
/** The token is for another audience than the resource accepts; a refresh cannot help. */
 | 'WRONG_AUDIENCE'
/** A TLS certificate is not trusted here (a TLS-inspecting proxy): NODE_EXTRA_CA_CERTS fixes it. */
 | 'TLS_UNTRUSTED'
/**
 * Entra ID refused the user's token offered for on-behalf-of (expired, forged, from another
 * tenant, or for another app): answer the caller 401. keyless never retries it.
 */
 | 'USER_ASSERTION_REJECTED'
/** On-behalf-of needs consent the user or an admin has not given (AADSTS65001). */
 | 'CONSENT_REQUIRED'
/** The operation does not apply to this strategy (e.g. asking an API-key auth for a bearer token). */
 | 'UNSUPPORTED_OPERATION';
/** The troubleshooting guide shipped inside this package; every error message names its section. */
declare const TROUBLESHOOTING_DOC = "@keyless/core/TROUBLESHOOTING.md";
/** Options for {@link KeylessError}. */
interface KeylessErrorOptions {
    /** The underlying error. It is kept, with every secret redacted from it. */
    cause?: unknown;
    /** Secret values known to the caller that must never appear in this error. */
    secrets?: readonly string[] | undefined;
    /** HTTP status, when the error came from an HTTP answer. */
    status?: number | undefined;
    /** Milliseconds the server asked us to wait before trying again, if it said so. */
    retryAfterMs?: number | undefined;
}
/**
 * The one error class keyless throws. `message` reads `<component>: <problem>. <fix>.`, `code` is
 * stable, `cause` is chained (and redacted). `name` is set so that code which cannot rely on
 * `instanceof` (two copies of the package loaded) can use {@link isKeylessError}.
 */
declare class KeylessError extends Error {
    readonly name = "KeylessError";
    readonly code: KeylessErrorCode;
    readonly status: number | undefined;
    readonly retryAfterMs: number | undefined;
    /**
     * Whether trying again later may succeed: a timeout, a network failure, a 5xx or 429 of the
     * token endpoint. False for what only a change of settings fixes (a wrong secret, an unknown
     * client or tenant, a missing package, a bad setting).
     */
    readonly retryable: boolean;
    constructor(code: KeylessErrorCode, message: string, options?: KeylessErrorOptions);
    /** What `JSON.stringify` shows: the code, message and status, never the cause's internals. */
    toJSON(): {
        name: string;
        code: KeylessErrorCode;
        message: string;
        retryable: boolean;
        status?: number;
    };
}
/** True for a {@link KeylessError}, even one thrown by another copy of this package. */
declare function isKeylessError(value: unknown): value is KeylessError;

/** Backoff, window and deadline settings of the token cache. All durations in milliseconds. */
interface TokenCacheOptions {
    /** Start background refresh this long before expiry (capped at half the lifetime). Default 5 min. */
    refreshMarginMs?: number | undefined;
    /** Callers wait for a refresh when this little is left (capped at a quarter of the lifetime). Default 30 s. */
    hardWindowMs?: number | undefined;
    /** First backoff delay after a failed refresh. Default 1 s. */
    backoffInitialMs?: number | undefined;
    /** Longest backoff delay, and the cap on a Retry-After the credential reports. Default 60 s. */
    backoffMaxMs?: number | undefined;
    /**
     * Longest a token request may take before it is abandoned and counted as a failure
     * (`TOKEN_REQUEST_TIMEOUT`). Default 30 s.
     */
    tokenRequestTimeoutMs?: number | undefined;
    /**
     * Shortest time between two forced refreshes (after a 401 or a claims challenge); doubles while
     * fresh tokens keep being rejected, up to 5 min. Default 10 s.
     */
    forcedRefreshIntervalMs?: number | undefined;
    /** Random source in [0, 1) for jitter. Default Math.random. */
    random?: (() => number) | undefined;
}
/** A secret-free snapshot of the cache, for health and readiness endpoints. */
interface TokenCacheStatus {
    /** Whether a token that has not expired is cached. */
    tokenCached: boolean;
    /** Whole seconds left on that token. */
    expiresInSeconds: number | undefined;
    /** The last token request's outcome, and when it ended (epoch ms). */
    lastRefresh: {
        outcome: 'ok';
        at: number;
    } | {
        outcome: 'error';
        at: number;
        errorCode: string;
    } | undefined;
    /** Token requests that failed in a row (0 after a success). */
    consecutiveFailures: number;
    /** When keyless will try again after a failure (epoch ms); undefined when it may try now. */
    nextAttemptAt: number | undefined;
    /** Until when the token endpoint asked not to be called (its Retry-After), epoch ms. */
    throttledUntil: number | undefined;
}

/**
 * What made an {@link Auth}: a strategy's kind, or `onBehalfOf` for a user's Auth from
 * `createOnBehalfOf(...).forUser(assertion)`.
 */
type AuthKind = StrategyKind | 'onBehalfOf';
/** Options of a single token request. */
interface GetTokenCallOptions {
    /** Claims from a `WWW-Authenticate: Bearer error="insufficient_claims"` challenge. */
    claims?: string | undefined;
    /**
     * With `claims`: the token the challenge answered. When it is no longer the cached one (another
     * request already got a token for the challenge), the cached token is returned, no new request.
     */
    challengedToken?: string | undefined;
}
/**
 * What adapters consume: the credentials a request needs, from one cached, single-flight source.
 * Create one per process (or per identity) and share it.
 */
interface Auth {
    /** The strategy in use. */
    readonly kind: AuthKind;
    /** The token scope. */
    readonly scope: string;
    /**
     * Whether `scope` was set by the caller. When it was not, adapters take the scope the endpoint
     * calls for (a Foundry project wants `https://ai.azure.com/.default`), and a 401 naming another
     * Azure AI audience may switch to it once; an explicit scope is never overridden.
     */
    readonly scopeExplicit: boolean;
    /**
     * The same strategy and options for another scope: one Auth per scope, made on first use and
     * kept, its events delivered to this Auth's listeners too. Returns this Auth for its own scope
     * (and always for the apiKey strategy, which has no scope).
     */
    forScope(scope: string): Auth;
    /**
     * Headers to add to a request: `{ authorization: 'Bearer …' }` or `{ 'api-key': … }`. The object
     * is frozen and shared by every caller (a cache hit costs no allocation): spread it to add more.
     */
    getRequestHeaders(options?: GetTokenCallOptions): Promise<Readonly<Record<string, string>>>;
    /** The bearer token (cached). Rejects with UNSUPPORTED_OPERATION for the apiKey strategy. */
    getToken(options?: GetTokenCallOptions): Promise<string>;
    /** `getToken` as a standalone function, for SDKs that take a token provider. */
    readonly tokenProvider: () => Promise<string>;
    /**
     * Drops `token` if it is the cached one (a 401 said it is no good); the next call fetches a new
     * one, bypassing the credential library's cache. Returns whether anything was dropped.
     */
    invalidate(token: string): boolean;
    /** Subscribes to {@link AuthEvent}s (none carries a secret). Returns the unsubscribe function. */
    on(listener: AuthEventListener): () => void;
    /** Redacts this auth's secrets (and any token-shaped text) from `text`, for your own logs. */
    redact(text: string): string;
    /**
     * A synchronous, secret-free snapshot for health and readiness endpoints: whether a valid token
     * is cached and for how long, the last refresh's outcome, failures in a row, when keyless will
     * try again, and until when the token endpoint throttled it.
     */
    status(): AuthStatus;
}
/** What {@link Auth.status} returns. Holds no token, key or secret. */
interface AuthStatus extends TokenCacheStatus {
    /** The strategy in use. */
    strategy: AuthKind;
    /**
     * Ready to serve: a valid token is cached, or the last token request succeeded. Always true for
     * the apiKey strategy (there is nothing to fetch); false before the first token request.
     */
    ready: boolean;
}

/** A gateway's subscription key as `AuthOptions.gatewayKey` takes it. */
type GatewayKeyOption = string | {
    key: string;
    header?: string | undefined;
} | undefined;

/**
 * A store many processes share (Redis, in `@keyless/redis`), seen by keyless as opaque values:
 * keyless seals every entry (AES-256-GCM, with the store's `encryptionKey`) before it leaves the
 * process and names entries by an HMAC, so a store never holds a token or an id in clear.
 * Every call is bounded by keyless (`sharedCache.timeoutMs`, and `sharedCache.connectTimeoutMs`
 * while the connection opens); a store should fail fast when it is down rather than queue.
 */
interface SharedTokenStore {
    /** For messages and events, e.g. `redis://cache:6379`. Never holds a password. */
    readonly description: string;
    /**
     * The fleet's 32-byte secret: keyless derives from it (HKDF-SHA256) one key that seals entries
     * (AES-256-GCM, 16-byte tag) and another that names them (HMAC-SHA256). Hold it as a secret
     * `KeyObject` (`createSecretKey(bytes)`), which `inspect` and `JSON.stringify` never print; raw
     * bytes are accepted too. One secret per application: two applications sharing a Redis must
     * not share a secret.
     */
    readonly encryptionKey: KeyObject | Uint8Array;
    /** The value under `key`, or undefined. */
    get(key: string): Promise<string | undefined>;
    /** Stores `value` under `key` for `ttlMs`. */
    set(key: string, value: string, ttlMs: number): Promise<void>;
    /**
     * Sets `key` to `holder` for `ttlMs` if it is absent, or already `holder`'s (then only its time
     * is renewed). True: this holder holds it. A lease taken by a call whose answer came too late
     * is then still the same holder's when it asks again.
     */
    acquireLease(key: string, holder: string, ttlMs: number): Promise<boolean>;
    /** Deletes `key` only if it still holds `value` (compare-and-delete). True: it was deleted. */
    deleteIfEquals(key: string, value: string): Promise<boolean>;
    /**
     * Opens the connection, if the store has one to open. keyless calls it when the Auth is made
     * (under `sharedCache.connectTimeoutMs`), so the first token request finds it open; with
     * `keepAlive: false` the attempt must not keep the process alive. Optional.
     */
    connect?(options?: {
        keepAlive?: boolean | undefined;
    }): Promise<void>;
}

/** The shared cache with its settings: `AuthOptions.sharedCache`. All durations in ms. */
interface SharedCacheOptions {
    /** The store, e.g. `createRedisTokenStore({ url, encryptionKey })` from `@keyless/redis`. */
    store: SharedTokenStore;
    /**
     * Longest one store call may take, once connected; a slower answer is asked again while the
     * instance waits, and a store that never answers in time is skipped. Default 250.
     */
    timeoutMs?: number | undefined;
    /**
     * Longest opening the store's connection may take (it is opened when the Auth is made). Default
     * 5,000: TLS across a network, or a machine busy starting a fleet, takes longer than a command.
     */
    connectTimeoutMs?: number | undefined;
    /**
     * How long other instances wait for the one holding the lease before asking themselves.
     * Default half of `tokenRequestTimeoutMs` (15 s): as long as the holder's token request may
     * take, leaving time for their own.
     */
    waitMs?: number | undefined;
    /** How long the instance asking the token endpoint holds the lease. Default 10,000. */
    leaseMs?: number | undefined;
    /** After a store failure, how long it is skipped before being tried again. Default 5,000. */
    retryMs?: number | undefined;
}
/** The deprecated flat settings of `AuthOptions`, folded into `sharedCache`. */
interface FlatSharedCacheOptions {
    sharedCache?: SharedTokenStore | SharedCacheOptions | undefined;
    sharedCacheTimeoutMs?: number | undefined;
    sharedCacheWaitMs?: number | undefined;
    sharedCacheLeaseMs?: number | undefined;
    sharedCacheRetryMs?: number | undefined;
}

/** The scope of Azure OpenAI (and every Azure AI service) data-plane calls. */
declare const COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";
/** Options of {@link createAuth}. */
interface AuthOptions extends TokenCacheOptions, FlatSharedCacheOptions {
    /** Token scope. Default {@link COGNITIVE_SERVICES_SCOPE}. */
    scope?: string | undefined;
    /**
     * A gateway's subscription key, sent beside the one credential (Azure API Management in front
     * of Azure OpenAI): the key, or `{ key, header }` (default header `Ocp-Apim-Subscription-Key`).
     * Sent to the configured origin only, and redacted like any secret. With a token strategy set
     * `scope` to the gateway app's audience too.
     */
    gatewayKey?: GatewayKeyOption;
    /** Time source for the token cache; inject one in tests. Default the process clock. */
    clock?: Clock | undefined;
    /**
     * A store the instances of a fleet share (`createRedisTokenStore` from `@keyless/redis`), or
     * `{ store, timeoutMs?, connectTimeoutMs?, waitMs?, leaseMs?, retryMs? }`: one token request for many processes.
     * msalConfidentialClient only (managed identity tokens are never shared between machines). See
     * the README, "Running many instances".
     */
    sharedCache?: SharedTokenStore | SharedCacheOptions | undefined;
    /** @deprecated Use `sharedCache: { store, timeoutMs }`. */
    sharedCacheTimeoutMs?: number | undefined;
    /** @deprecated Use `sharedCache: { store, waitMs }`. */
    sharedCacheWaitMs?: number | undefined;
    /** @deprecated Use `sharedCache: { store, leaseMs }`. */
    sharedCacheLeaseMs?: number | undefined;
    /** @deprecated Use `sharedCache: { store, retryMs }`. */
    sharedCacheRetryMs?: number | undefined;
}
/**
 * Creates an {@link Auth} for a strategy. Settings are validated now: a bad setting throws a
 * {@link KeylessError} here, not at the first request.
 *
 * @example
 * const auth = createAuth({ kind: 'managedIdentity', clientId: process.env.AZURE_CLIENT_ID });
 * const headers = await auth.getRequestHeaders();
 */
declare function createAuth(strategy: Strategy, options?: AuthOptions): Auth;

/** Environment variables, as in `process.env`. */
type Env = Readonly<Record<string, string | undefined>>;

/** Options of {@link authFromEnv}: those of createAuth, the environment, and a CA. */
interface AuthFromEnvOptions extends AuthOptions {
    /** The environment; `process.env` when omitted, read at call time. */
    env?: Env | undefined;
    /** Extra CA certificates (PEM) for a local authority; see MsalConfidentialClientStrategy.ca. */
    ca?: string | undefined;
}
/**
 * Creates an {@link Auth} from the usual Azure environment variables. Precedence:
 *
 * 1. `KEYLESS_STRATEGY` (default | managedIdentity | msalConfidentialClient | apiKey), when set,
 *    decides; the variables of that strategy are then required.
 * 2. `AZURE_OPENAI_API_KEY` together with a service principal (`AZURE_CLIENT_SECRET` or
 *    `AZURE_CLIENT_CERTIFICATE_PATH`) is an error: set KEYLESS_STRATEGY to choose.
 * 3. `AZURE_OPENAI_API_KEY` -> apiKey.
 * 4. `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` + `AZURE_CLIENT_SECRET` | `AZURE_CLIENT_CERTIFICATE_PATH`
 *    | `AZURE_FEDERATED_TOKEN_FILE` (workload identity: the file is re-read per token request)
 *    | `ACTIONS_ID_TOKEN_REQUEST_URL` + `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (GitHub Actions OIDC: a fresh
 *    token per token request; used only when no other client credential is set, since a job with
 *    `id-token: write` always has them) -> msalConfidentialClient.
 * 5. `IDENTITY_ENDPOINT`, `MSI_ENDPOINT` or `AZURE_POD_IDENTITY_AUTHORITY_HOST` -> managedIdentity
 *    (user-assigned when `AZURE_CLIENT_ID` is set).
 * 6. Otherwise -> default (DefaultAzureCredential).
 *
 * `AZURE_OPENAI_ENDPOINT`, when set, must be the resource endpoint by the adapters' own rule
 * (https, http only on localhost; not a URL into the API such as the portal's Target URI); with no
 * `scope` option the scope follows its shape (a Foundry project endpoint gets
 * `https://ai.azure.com/.default`).
 *
 * @example
 * const auth = authFromEnv();                       // process.env
 * const other = authFromEnv({ env, scope, sharedCache: { store } });
 */
declare function authFromEnv(options?: AuthFromEnvOptions): Auth;
/** @deprecated Pass the environment as an option: `authFromEnv({ env, ...options })`. */
declare function authFromEnv(env: Env, options?: AuthFromEnvOptions): Auth;

/** The non-secret claims of an access token that explain who it is for and until when. */
interface TokenClaims {
    aud?: string | string[];
    iss?: string;
    tid?: string;
    oid?: string;
    appid?: string;
    azp?: string;
    roles?: string[];
    scp?: string;
    /** `user` or `app`, where the tenant adds the optional claim. */
    idtyp?: string;
    /** A user's sign-in name (delegated tokens). */
    upn?: string;
    preferred_username?: string;
    exp?: number;
    iat?: number;
    [claim: string]: unknown;
}
/**
 * Reads the claims of a JWT without verifying it: for explaining failures (which principal, which
 * audience), never for trusting a token. Returns undefined for anything that is not a JWT.
 */
declare function decodeJwtClaims(token: string): TokenClaims | undefined;

/**
 * The {@link KeylessError} behind whatever an SDK threw or returned: the error itself, one in its
 * `cause` chain, or the one behind a synthetic answer (found through the `headers` an SDK error
 * or a Response carries, or the `responseBody` text of the AI SDK's `APICallError`). Undefined
 * when keyless had no part in it.
 *
 * @example
 * try { await client.chat.completions.create(...) }
 * catch (err) { if (keylessErrorOf(err)?.code === 'TOKEN_REQUEST_FAILED') ... }
 */
declare function keylessErrorOf(value: unknown): KeylessError | undefined;

/** The settings of a confidential client: {@link MsalConfidentialClientStrategy} without its `kind`. */
type ConfidentialClientSettings = MsalConfidentialClientStrategy extends infer S ? S extends MsalConfidentialClientStrategy ? Omit<S, 'kind'> : never : never;

/**
 * Options of {@link createOnBehalfOf}: the API's own app registration (a confidential client, as
 * for the msalConfidentialClient strategy: exactly one of a client secret, a certificate or a
 * client-assertion callback, workload identity and GitHub Actions OIDC included), the downstream
 * scope, the bound on users held, and the token cache's settings (applied per user).
 */
type OnBehalfOfOptions = ConfidentialClientSettings & TokenCacheOptions & {
    /** Scope of the tokens asked on the user's behalf. Default {@link COGNITIVE_SERVICES_SCOPE}. */
    scope?: string | undefined;
    /**
     * Most users whose tokens are held at once; beyond it the least recently used is dropped
     * (its next request asks Entra ID again). Default 1,000.
     */
    maxUsers?: number | undefined;
    /** Time source; inject one in tests. Default the process clock. */
    clock?: Clock | undefined;
};
/** What {@link createOnBehalfOf} returns: one bounded cache of users, each with an {@link Auth}. */
interface OnBehalfOf {
    /**
     * The Auth that acts as the user whose access token (the bearer your API received) is
     * `userAssertion`: pass it to any adapter. The same assertion gives the same Auth (one token
     * request however many requests that user makes at once); users are told apart by a SHA-256
     * hash of the whole assertion, never by claims read from it, so a forged token naming another
     * user's `oid` can never get that user's token. Entra ID checks the assertion; keyless does not
     * (validate it in your API first, as you would anyway).
     */
    forUser(userAssertion: string): Auth;
    /** Users whose Auth is held now (at most `maxUsers`). */
    readonly size: number;
    /** Subscribes to the {@link AuthEvent}s of every user's Auth (none names a user or carries a secret). */
    on(listener: AuthEventListener): () => void;
    /** Redacts this client's secrets (and any token-shaped text) from `text`. */
    redact(text: string): string;
    /** Drops every user's Auth (their next requests ask Entra ID again). */
    clear(): void;
}
/**
 * On-behalf-of (OAuth 2.0 OBO): a web API that received a user's token calls Azure OpenAI as that
 * user, so role assignments, quotas and audit logs see the person. Settings are validated now;
 * msal-node is loaded on the first token request.
 *
 * @example
 * const obo = createOnBehalfOf({ tenantId, clientId, clientSecret });
 * app.post('/summarize', async (req, res) => {
 *   const client = createAzureOpenAI({ auth: obo.forUser(bearerOf(req)), endpoint, deployment });
 *   ...
 * });
 */
declare function createOnBehalfOf(options: OnBehalfOfOptions): OnBehalfOf;

/** Options of {@link onBehalfOfFromEnv}: those of createOnBehalfOf but the client credential. */
type OnBehalfOfFromEnvOptions = Omit<OnBehalfOfOptions, 'tenantId' | 'clientId' | 'authorityHost' | 'clientSecret' | 'certificate' | 'clientAssertion'> & {
    /** The environment; `process.env` when omitted, read at call time. */
    env?: Env | undefined;
};
/**
 * {@link createOnBehalfOf} with the API's own app registration from the usual variables, read as
 * authFromEnv reads a service principal: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, and one of
 * `AZURE_CLIENT_SECRET`, `AZURE_CLIENT_CERTIFICATE_PATH` (+ `_PASSWORD`),
 * `AZURE_FEDERATED_TOKEN_FILE` (workload identity) or GitHub Actions OIDC; `AZURE_AUTHORITY_HOST`.
 * `AZURE_OPENAI_API_KEY` is ignored: a key cannot act for a user.
 */
declare function onBehalfOfFromEnv(options?: OnBehalfOfFromEnvOptions): OnBehalfOf;

/**
 * A `clientAssertion` for Kubernetes workload identity (AKS): the projected service-account token,
 * read from `file` for every token request, because the kubelet rotates it (reading it once fails
 * an hour later with AADSTS700024). A missing, unreadable or empty file is a clear error naming
 * `variable`.
 *
 * @example
 * createAuth({ kind: 'msalConfidentialClient', tenantId, clientId, clientAssertion: workloadIdentityAssertion(process.env.AZURE_FEDERATED_TOKEN_FILE) })
 */
declare function workloadIdentityAssertion(file: string, variable?: string): () => Promise<string>;
/** Options of {@link githubActionsAssertion}. */
interface GitHubActionsAssertionOptions {
    /** ACTIONS_ID_TOKEN_REQUEST_URL of the job. */
    requestUrl: string;
    /** ACTIONS_ID_TOKEN_REQUEST_TOKEN of the job (a secret: redacted everywhere). */
    requestToken: string;
    /** The audience of the OIDC token. Default `api://AzureADTokenExchange`. */
    audience?: string | undefined;
    /** Longest the token service may take (ms). Default 10 s. */
    timeoutMs?: number | undefined;
    /** Extra CA certificates (PEM), e.g. a local emulator's. */
    ca?: string | undefined;
}
/**
 * A `clientAssertion` for GitHub Actions OIDC: a fresh token from the job's token service for every
 * token request (they live about 5 minutes, so one cached is soon expired). The job needs
 * `permissions: id-token: write`.
 */
declare function githubActionsAssertion(options: GitHubActionsAssertionOptions): () => Promise<string>;

export { type AccessToken, type ApiKeyStrategy, type Auth, type AuthEvent, type AuthEventListener, type AuthFromEnvOptions, type AuthKind, type AuthOptions, type AuthStatus, COGNITIVE_SERVICES_SCOPE, type ClientCertificate, type Clock, type CredentialStrategy, type DefaultStrategy, type Env, type GetTokenCallOptions, type GetTokenOptions, type GitHubActionsAssertionOptions, KeylessError, type KeylessErrorCode, type KeylessErrorOptions, type ManagedIdentityStrategy, type MsalConfidentialClientStrategy, type OnBehalfOf, type OnBehalfOfFromEnvOptions, type OnBehalfOfOptions, type RefreshReason, type SharedCacheOptions, type SharedTokenStore, type Strategy, type StrategyKind, TROUBLESHOOTING_DOC, type TimerOptions, type TokenCacheOptions, type TokenCacheStatus, type TokenClaims, type TokenCredential, authFromEnv, createAuth, createOnBehalfOf, decodeJwtClaims, githubActionsAssertion, isKeylessError, isTokenCredential, keylessErrorOf, onBehalfOfFromEnv, systemClock, workloadIdentityAssertion };
