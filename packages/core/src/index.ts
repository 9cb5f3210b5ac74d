export { type AuthFromEnvOptions, authFromEnv, type Env, strategyFromEnv } from './authFromEnv.js';
export { type Clock, systemClock } from './clock.js';
export {
  type Auth,
  type AuthKind,
  type AuthOptions,
  type AuthStatus,
  COGNITIVE_SERVICES_SCOPE,
  createAuth,
  DEFAULT_TOKEN_REQUEST_TIMEOUT_MS,
  type GetTokenCallOptions,
} from './createAuth.js';
export { decodeJwtClaims, type TokenClaims } from './decodeJwtClaims.js';
export {
  isKeylessError,
  KeylessError,
  type KeylessErrorCode,
  type KeylessErrorOptions,
  TROUBLESHOOTING_DOC,
} from './errors.js';
export type { AuthEvent, AuthEventListener, RefreshReason } from './events.js';
export { type EnvStrategyExplanation, explainEnvStrategy } from './explainEnvStrategy.js';
export { authForEndpoint } from './http/authForEndpoint.js';
export { type AuthorizedFetchOptions, createAuthorizedFetch, type RequestAuth } from './http/authorizedFetch.js';
export {
  type AuthFailure,
  AZURE_AI_USER_ROLE,
  COGNITIVE_SERVICES_USER_ROLE,
  classifyAuthFailure,
  type ExplainContext,
  explainAuthFailure,
  isUserToken,
  OPENAI_USER_ROLE,
  ROLE_ADVICE,
  roleForDataAction,
} from './http/classifyAuthFailure.js';
export { credentialFailureResponse, keylessErrorOf } from './http/credentialFailureResponse.js';
export { type SdkCredentialOptions, sdkCredential } from './http/sdkCredential.js';
export { resourceEndpoint } from './internal/resourceEndpoint.js';
export { requireText as requireSetting } from './internal/validate.js';
export {
  createOnBehalfOf,
  type OnBehalfOf,
  type OnBehalfOfOptions,
} from './onBehalfOf/createOnBehalfOf.js';
export { type OnBehalfOfFromEnvOptions, onBehalfOfFromEnv } from './onBehalfOf/onBehalfOfFromEnv.js';
export { redactText, sanitizeError } from './redact.js';
export {
  AI_AUDIENCE,
  audienceOfScope,
  COGNITIVE_SERVICES_AUDIENCE,
  type EndpointScope,
  scopeForEndpoint,
} from './scopeForEndpoint.js';
export type { SharedTokenStore } from './sharedCache/sharedTokenStore.js';
export {
  type GitHubActionsAssertionOptions,
  githubActionsAssertion,
  TOKEN_EXCHANGE_AUDIENCE,
  workloadIdentityAssertion,
} from './strategies/federatedAssertion.js';
export type {
  ApiKeyStrategy,
  ClientCertificate,
  CredentialStrategy,
  DefaultStrategy,
  ManagedIdentityStrategy,
  MsalConfidentialClientStrategy,
  Strategy,
  StrategyKind,
} from './strategy.js';
export type { TokenCacheOptions, TokenCacheStatus } from './tokenCache.js';
export { type AccessToken, type GetTokenOptions, isTokenCredential, type TokenCredential } from './tokenCredential.js';
