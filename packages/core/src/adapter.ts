// @keyless/core/adapter: the kit adapters (and diagnostics tools, and store authors) are built
// from. Applications need only @keyless/core. Nothing here is re-exported from src/internal/.

export { strategyFromEnv } from './authFromEnv.js';
export { type EnvStrategyExplanation, explainEnvStrategy } from './explainEnvStrategy.js';
export { authForEndpoint } from './http/authForEndpoint.js';
export { type AuthorizedEndpoint, authorizedEndpoint } from './http/authorizedEndpoint.js';
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
export { credentialFailureResponse } from './http/credentialFailureResponse.js';
export { resourceEndpoint } from './http/resourceEndpoint.js';
export { type SdkCredentialOptions, sdkCredential } from './http/sdkCredential.js';
export { redactText, sanitizeError } from './redact.js';
export {
  AI_AUDIENCE,
  audienceOfScope,
  COGNITIVE_SERVICES_AUDIENCE,
  type EndpointScope,
  scopeForEndpoint,
} from './scopeForEndpoint.js';
export { type ResolvedSettings, resolveSettings } from './settings/resolveSettings.js';
export type { SharedTokenStore } from './sharedCache/sharedTokenStore.js';
export { requireText as requireSetting } from './validate.js';
