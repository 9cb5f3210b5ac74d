// @keyless/core: what applications use. The kit adapters are built from is @keyless/core/adapter.
export type { Auth, AuthKind, AuthStatus, GetTokenCallOptions } from './auth.js';
export { type AuthFromEnvOptions, authFromEnv, type Env } from './authFromEnv.js';
export { type Clock, systemClock, type TimerOptions } from './clock.js';
export { type AuthOptions, COGNITIVE_SERVICES_SCOPE, createAuth, type SharedCacheOptions } from './createAuth.js';
export { decodeJwtClaims, type TokenClaims } from './decodeJwtClaims.js';
export {
  isKeylessError,
  KeylessError,
  type KeylessErrorCode,
  type KeylessErrorOptions,
  TROUBLESHOOTING_DOC,
} from './errors.js';
export type { AuthEvent, AuthEventListener, RefreshReason } from './events.js';
export { keylessErrorOf } from './http/credentialFailureResponse.js';
export {
  createOnBehalfOf,
  type OnBehalfOf,
  type OnBehalfOfOptions,
} from './onBehalfOf/createOnBehalfOf.js';
export { type OnBehalfOfFromEnvOptions, onBehalfOfFromEnv } from './onBehalfOf/onBehalfOfFromEnv.js';
export type { SharedTokenStore } from './sharedCache/sharedTokenStore.js';
export {
  type GitHubActionsAssertionOptions,
  githubActionsAssertion,
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
export type { TokenCacheOptions, TokenCacheStatus } from './tokenCache/tokenCacheOptions.js';
export { type AccessToken, type GetTokenOptions, isTokenCredential, type TokenCredential } from './tokenCredential.js';
