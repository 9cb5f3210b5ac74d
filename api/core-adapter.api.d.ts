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
/**
 * The slice of an {@link Auth} that authorized requests need: any object of this shape plugs in.
 * With `scope`, `scopeExplicit` and `forScope` (every Auth from createAuth has them), keyless
 * can take the scope an endpoint calls for and follow a 401 that names another Azure AI audience.
 */
type RequestAuth = Pick<Auth, 'kind' | 'getRequestHeaders' | 'invalidate'> & Partial<Pick<Auth, 'scope' | 'scopeExplicit' | 'forScope'>>;

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

/** Environment variables, as in `process.env`. */
type Env = Readonly<Record<string, string | undefined>>;

/** The strategies the environment can select. */
type EnvKind = Exclude<StrategyKind, 'credential'>;

/** The strategy {@link authFromEnv} would use, without creating it (a view of resolveSettings). */
declare function strategyFromEnv(env?: Env, options?: {
    ca?: string | undefined;
} | string): Strategy;

/**
 * Why {@link authFromEnv} chose its strategy: for diagnostics (`keyless doctor`). Names and
 * sources only, never a value: safe to print or log as it is.
 */
interface EnvStrategyExplanation {
    /** The strategy chosen. */
    kind: EnvKind;
    /** The rule that decided, in words. */
    reason: string;
    /** Each setting of the strategy and the variable it comes from (never its value). */
    settings: Array<{
        setting: string;
        source: string;
    }>;
    /** Variables the strategy reads. */
    used: string[];
    /** Credential variables that are set but not used, with why. */
    ignored: Array<{
        name: string;
        why: string;
    }>;
}
/** Explains the choice {@link authFromEnv} makes (throws the same errors it would): a view of resolveSettings. */
declare function explainEnvStrategy(env?: Env): EnvStrategyExplanation;

/**
 * The auth an adapter should use for `endpoint`: `auth` itself when its scope was set by the
 * caller (never overridden) or already fits, else its sibling for the scope the endpoint calls for
 * (`https://ai.azure.com/.default` for a Foundry project endpoint). An auth without `forScope`
 * (one of the caller's own making) is used as it is.
 */
declare function authForEndpoint<A extends RequestAuth>(auth: A, endpoint: string): A;

/** Options of {@link createAuthorizedFetch}. */
interface AuthorizedFetchOptions {
    /**
     * The only origin credentials are sent to, e.g. `https://my-resource.openai.azure.com`. Given
     * with a path (a Foundry project endpoint, `…/api/projects/<name>`), credentials still go to
     * the whole origin, and the path picks the scope when the auth has none of its own.
     */
    origin: string | URL;
    /** The fetch to wrap. Default `globalThis.fetch`, read at call time. */
    fetch?: typeof fetch | undefined;
    /**
     * What to do with a request for another origin: `passthrough` (default) sends it without any
     * credential header (`authorization`, `api-key`, `proxy-authorization`, `cookie`,
     * `ocp-apim-subscription-key` are removed, whoever set them: the caller or an SDK holding
     * keyless's credential); `refuse` rejects it with a KeylessError naming the origin.
     */
    otherOrigins?: 'passthrough' | 'refuse' | undefined;
    /**
     * Longest wait a 429's Retry-After may ask for (ms). Above it the answer is marked
     * `x-should-retry: false` (the openai SDK then fails fast with its RateLimitError instead of
     * sleeping) and explained. Default 60 s, the cap openai-node applies to its own waits.
     */
    maxRetryAfterMs?: number | undefined;
}
/**
 * A `fetch` that attaches `auth`'s credentials to requests for one origin only:
 * - exactly one auth header per attempt (any `authorization`/`api-key` the caller set is replaced);
 * - a request for another origin leaves without any credential header, whoever set it (an SDK
 *   that holds keyless's credential sets its own `Authorization`/`api-key` on absolute URLs too);
 * - redirects are followed by keyless: within the origin with credentials, to another origin
 *   without any (undici would forward `api-key` there); answers from another origin are returned
 *   untouched, never read as Azure's;
 * - a 401 saying the token is invalid or expired invalidates it and, when the body can be sent
 *   again, retries once with a new one; a CAE claims challenge retries once with those claims;
 *   when the cache paces the refresh (a fresh token was rejected moments ago), the 401 goes to
 *   the caller explained, without another token request or attempt;
 * - a missing role (PermissionDenied) is never retried: the answer is returned with keyless's
 *   explanation (principal, role, fix) added to Azure's error message;
 * - when no credentials can be had (a wrong secret, a token endpoint down), the answer is a
 *   synthetic one marked `x-keyless-error-code` carrying keyless's explanation (see
 *   {@link credentialFailureResponse}), so SDKs show it instead of "Connection error." and do
 *   not retry what a retry cannot fix.
 */
declare function createAuthorizedFetch(auth: RequestAuth, options: AuthorizedFetchOptions): typeof fetch;

/** What an adapter hands its SDK: the checked endpoint, the Auth for its scope, the fetch. */
interface AuthorizedEndpoint {
    /** The resource endpoint without a trailing slash (the endpoint rule: see `resourceEndpoint`). */
    endpoint: string;
    /** `auth`, or its sibling for the scope the endpoint calls for (a Foundry project: ai.azure.com). */
    auth: RequestAuth;
    /** keyless's authorized fetch for that endpoint's origin, over `fetch` when given. */
    fetch: typeof fetch;
}
/**
 * The `{ endpoint, fetch }` pair every adapter builds its SDK client from, in one call: the
 * endpoint checked by the one rule (named `component`.`setting` in errors), the scope it calls
 * for, and the authorized fetch that gives credentials to its origin only.
 *
 * @example
 * const target = authorizedEndpoint('createAzureOpenAI', { auth, endpoint, fetch });
 * return new AzureOpenAI({ endpoint: target.endpoint, fetch: target.fetch, ... });
 */
declare function authorizedEndpoint(component: string, options: {
    auth: RequestAuth;
    endpoint: unknown;
    fetch?: typeof fetch | undefined;
    setting?: string | undefined;
}): AuthorizedEndpoint;

/** How keyless reads a 401/403 from Azure OpenAI. */
type AuthFailure = 
/**
 * Invalid, expired or wrong-audience token: worth one refresh and one retry. `audience` is the
 * one the resource names in its message ("audience is incorrect (https://ai.azure.com)").
 */
{
    kind: 'invalidToken';
    audience?: string | undefined;
}
/** A CAE challenge: retry once with a token carrying these claims. */
 | {
    kind: 'claimsChallenge';
    claims: string;
}
/**
 * The principal lacks the data-plane role. A new token never fixes it. `action` is the data
 * action the resource names, when it does.
 */
 | {
    kind: 'permissionDenied';
    action?: string | undefined;
}
/** The API key is wrong, or for another resource. */
 | {
    kind: 'invalidKey';
}
/** The resource refuses keys altogether (`disableLocalAuth`): a token strategy is needed. */
 | {
    kind: 'keyAuthDisabled';
}
/** Not an auth failure keyless knows how to help with. */
 | {
    kind: 'other';
};
/** The least-privilege role for Azure OpenAI inference (recommended). */
declare const OPENAI_USER_ROLE = "Cognitive Services OpenAI User";
/** A broader role that also grants inference (and more of Azure AI services). */
declare const COGNITIVE_SERVICES_USER_ROLE = "Cognitive Services User";
/** The Foundry role for agents and the other AIServices data actions. */
declare const AZURE_AI_USER_ROLE = "Azure AI User";
/**
 * What every explanation of a missing role says about roles: which to assign, which also works,
 * and why the ones people try first do not.
 */
declare const ROLE_ADVICE: string;
/**
 * Classifies an auth failure by its body and `WWW-Authenticate` header, not by its status: Azure
 * answers both a missing role and an expired token with 401, and only one of them is worth a retry.
 */
declare function classifyAuthFailure(status: number, wwwAuthenticate: string | null, body: string): AuthFailure;
/**
 * The least-privilege built-in role that grants a data action: "Cognitive Services OpenAI User"
 * for the OpenAI ones (chat, embeddings, files…), "Azure AI User" for Foundry's AIServices ones
 * (agents, threads…), which the OpenAI roles do not grant; "Cognitive Services User" otherwise.
 */
declare function roleForDataAction(action: string | undefined): string;
/** How the request that met the failure was handled. */
interface ExplainContext {
    /** True when keyless already refreshed the token and retried; false when it could not retry (a one-shot body). */
    retried: boolean;
    /**
     * True when keyless did not refresh because a fresh token was rejected moments before (the
     * token cache's pacing): the resource rejects every token it is given.
     */
    paced?: boolean | undefined;
    /** The scope the token was asked for, and whether the caller set it (for wrong-audience advice). */
    scope?: {
        value: string;
        explicit: boolean;
    } | undefined;
}
/** A sentence that says what is wrong and how to fix it, for a failure and the token that met it. */
declare function explainAuthFailure(failure: AuthFailure, token: string | undefined, context?: ExplainContext): string;
/** A user's (delegated) token, not an app's: `idtyp: user`, or a `scp`/`upn` claim. */
declare function isUserToken(claims: Record<string, unknown> | undefined): boolean;

/**
 * The answer an authorized fetch gives when it cannot get credentials (a wrong secret, a token
 * endpoint that is down, a missing package). Throwing instead would reach users of the openai
 * SDK and LangChain as "Connection error.", retried as if the network had failed. The answer:
 *
 * - status 401 for what only a change of settings fixes, with `x-should-retry: false` (openai
 *   and LangChain do not retry it); 503 for a retryable failure (timeout, token endpoint 5xx or
 *   unreachable), 429 with `retry-after` when the token endpoint throttled: the SDK may retry
 *   those within its own limits, each retry through the same single flight and backoff;
 * - a JSON body in Azure's error shape, `{ error: { code, type: 'keyless_error', message } }`:
 *   the SDK's `err.message` is keyless's explanation and `err.code` its stable code;
 * - headers `x-keyless-error-code` (the code) and `x-keyless-synthetic: 1` (no server sent it).
 */
declare function credentialFailureResponse(error: unknown): Response;

/**
 * The one rule for an Azure OpenAI endpoint, used by every adapter and by `keyless doctor`:
 * the resource's origin (`https://<resource>.openai.azure.com`, `.cognitiveservices.azure.com`,
 * `.services.ai.azure.com`, a sovereign cloud's host, a gateway's or a local emulator's), with or
 * without a trailing slash. A path into the API (`/openai/...`, as the portal's "Target URI"
 * shows it) or a query is refused with the value to use instead: the adapters add those parts
 * themselves, and with them twice every call is a 404. A gateway's own path prefix is kept.
 *
 * @returns The endpoint without a trailing slash, e.g. `https://my-resource.openai.azure.com`.
 */
declare function resourceEndpoint(component: string, setting: string, value: unknown): string;

/** Options of {@link sdkCredential}. */
interface SdkCredentialOptions {
    /**
     * Retries of a retryable token failure (endpoint unreachable, 5xx, throttled, deadline), each
     * after the failure's Retry-After or 0.5 s, 1 s, …, never more than 8 s: what an SDK's own
     * retries would do had the failure reached it as an answer. Default 2 (openai's default).
     */
    retries?: number | undefined;
    /** Where the waits between retries come from; inject one in tests. Default real timers. */
    clock?: Pick<Clock, 'setTimer'> | undefined;
}
/**
 * What to give an SDK as its own `apiKey` when it opens connections that keyless's authorized
 * fetch never sees (the openai SDK's Realtime WebSocket handshake):
 *
 * - the apiKey strategy: the key itself (the SDK sends it as `api-key`); for an apiKey auth that
 *   createAuth did not build (a wrapper), a function returning it;
 * - token strategies: a function returning the current bearer token from the Auth's cache,
 *   called by the SDK before every request and every (re)connect, so a connection opened after
 *   a refresh or an invalidation carries the new token. It never returns a placeholder: when no
 *   token can be had it rejects with the KeylessError (after `retries` for a retryable one).
 *
 * HTTP requests still go through {@link createAuthorizedFetch}, which sets the one auth header.
 */
declare function sdkCredential(auth: RequestAuth, options?: SdkCredentialOptions): string | (() => Promise<string>);

/**
 * The one redaction helper. Every error message, stack, event and log line keyless produces goes
 * through it, so a token, key, secret, assertion or private key never reaches output.
 *
 * Two layers: values the caller knows are secret (the configured key, client secret…) are replaced
 * wherever they appear, and shapes that are secret whatever their value (JWTs, bearer headers, PEM
 * private keys, `client_secret=…` form fields) are replaced by pattern, which catches secrets
 * keyless never saw, such as a token quoted back in an upstream error.
 */
/**
 * Returns `text` with every known secret value and every secret-shaped substring replaced by
 * `[REDACTED]`.
 */
declare function redactText(text: string, secrets?: readonly string[]): string;
/**
 * Copies an error (or any thrown value) into a plain `Error` whose message, stack and kept
 * properties are redacted, with its cause chain sanitized the same way. The copy holds no
 * reference to the original, so `util.inspect(err, { depth: null })` cannot reach a secret that
 * the original carried in a field we do not know about (a request object, headers, a config).
 */
declare function sanitizeError(value: unknown, secrets?: readonly string[], depth?: number): Error;

/** The audience of classic Azure OpenAI and Azure AI services resources. */
declare const COGNITIVE_SERVICES_AUDIENCE = "https://cognitiveservices.azure.com";
/** The audience Foundry project endpoints accept (and the only one they accept). */
declare const AI_AUDIENCE = "https://ai.azure.com";
/** Why {@link scopeForEndpoint} chose its scope, for messages and `keyless doctor`. */
interface EndpointScope {
    /** The scope to ask tokens for, `<audience>/.default`. */
    scope: string;
    /** What the endpoint is, in a few words. */
    reason: string;
}
/**
 * The scope an endpoint's shape calls for, when the user set none:
 * - a Foundry project endpoint (`https://<res>.services.ai.azure.com/api/projects/<project>`, or
 *   any host with that `/api/projects/<project>` path) → `https://ai.azure.com/.default`, the only
 *   audience it accepts;
 * - a classic resource (`*.openai.azure.com`, `*.cognitiveservices.azure.com`, the resource root of
 *   `*.services.ai.azure.com`) → `https://cognitiveservices.azure.com/.default`;
 * - Azure Government and Azure China hosts → their clouds' cognitiveservices audience;
 * - anything else (a gateway, a local emulator) → the cognitiveservices scope, which a gateway
 *   usually does not accept: give a gateway's own audience as `scope`.
 */
declare function scopeForEndpoint(endpoint: string | URL): EndpointScope;
/** The audience of a scope: `https://ai.azure.com/.default` → `https://ai.azure.com`. */
declare function audienceOfScope(scope: string): string;

/**
 * Everything the environment says, resolved once: the views of it are `authFromEnv`,
 * `explainEnvStrategy`, `keyless doctor` and the samples. Names and sources only in the
 * explanation fields, never a value.
 */
interface ResolvedSettings {
    /** The strategy the environment selects (its values are in it: not for printing). */
    strategy: Strategy;
    kind: EnvKind;
    /** The rule that decided, in words. */
    reason: string;
    /** AZURE_OPENAI_ENDPOINT by the adapters' own rule (the resource's endpoint, no trailing slash). */
    endpoint: string | undefined;
    /** AZURE_OPENAI_DEPLOYMENT (or AZURE_OPENAI_API_DEPLOYMENT_NAME). */
    deployment: string | undefined;
    /** AZURE_OPENAI_EMBEDDINGS_DEPLOYMENT (or AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME). */
    embeddingsDeployment: string | undefined;
    /** OPENAI_API_VERSION (or AZURE_OPENAI_API_VERSION). */
    apiVersion: string | undefined;
    /** The scope the endpoint calls for, and why (undefined without an endpoint). */
    scope: {
        scope: string;
        reason: string;
    } | undefined;
    /** Each strategy setting and the variable it comes from. */
    sources: Array<{
        setting: string;
        source: string;
    }>;
    /** Credential variables that are set and read by the strategy. */
    used: string[];
    /** Credential variables that are set but not used, with why. */
    ignored: Array<{
        name: string;
        why: string;
    }>;
}
/** Resolves the environment (throws the KeylessError a bad one deserves, naming the variable). */
declare function resolveSettings(env?: Env, options?: {
    ca?: string | undefined;
}): ResolvedSettings;

/** Throws CONFIG_INVALID unless `value` is a non-empty string without surrounding whitespace. */
declare function requireText(component: string, setting: string, value: unknown): string;

export { AI_AUDIENCE, AZURE_AI_USER_ROLE, type AuthFailure, type AuthorizedEndpoint, type AuthorizedFetchOptions, COGNITIVE_SERVICES_AUDIENCE, COGNITIVE_SERVICES_USER_ROLE, type EndpointScope, type EnvStrategyExplanation, type ExplainContext, OPENAI_USER_ROLE, ROLE_ADVICE, type RequestAuth, type ResolvedSettings, type SdkCredentialOptions, type SharedTokenStore, audienceOfScope, authForEndpoint, authorizedEndpoint, classifyAuthFailure, createAuthorizedFetch, credentialFailureResponse, explainAuthFailure, explainEnvStrategy, isUserToken, redactText, requireText as requireSetting, resolveSettings, resourceEndpoint, roleForDataAction, sanitizeError, scopeForEndpoint, sdkCredential, strategyFromEnv };
