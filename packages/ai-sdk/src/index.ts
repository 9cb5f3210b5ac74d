import { type AzureOpenAIProvider, type AzureOpenAIProviderSettings, createAzure } from '@ai-sdk/azure';
import { KeylessError } from '@keyless/core';
import { authorizedEndpoint, type RequestAuth } from '@keyless/core/adapter';

/**
 * The provider must be given some key, or it reads AZURE_API_KEY (or throws AI_LoadAPIKeyError);
 * keyless's fetch replaces it on every request with the real credential, exactly one header.
 */
const PLACEHOLDER = 'set-by-keyless';

/** Options of {@link createAzureProvider}: the provider's own settings, with `auth` and `endpoint`. */
export type CreateAzureProviderOptions = Omit<
  AzureOpenAIProviderSettings,
  'apiKey' | 'tokenProvider' | 'baseURL' | 'resourceName'
> & {
  /** Where credentials come from: `createAuth(...)` or `authFromEnv()` from @keyless/core. */
  auth: RequestAuth;
  /** The resource endpoint, e.g. `https://my-resource.openai.azure.com`. */
  endpoint: string;
};

/**
 * `@ai-sdk/azure`'s own provider, authenticated by keyless: cached single-flight tokens (or the
 * key) shared with every adapter using the same `auth`, one refresh-and-retry on an invalid-token
 * 401, a missing role explained in the `APICallError` message and never retried, and token
 * failures readable in the error the AI SDK throws.
 *
 * Requests go to the `/openai/v1` API on Azure hosts (`azure(deployment)` is the Responses API); with
 * `useDeploymentBasedUrls: true`, to `/openai/deployments/{deployment}/…?api-version=…`, for which
 * `apiVersion` is required.
 *
 * @example
 * const azure = createAzureProvider({ auth: authFromEnv(), endpoint: 'https://my-resource.openai.azure.com' });
 * const { text } = await generateText({ model: azure('gpt-4o-mini'), prompt: 'Hi' });
 */
export function createAzureProvider({
  auth,
  endpoint,
  fetch,
  ...settings
}: CreateAzureProviderOptions): AzureOpenAIProvider {
  const target = authorizedEndpoint('createAzureProvider', { auth, endpoint, fetch });
  if (settings.useDeploymentBasedUrls === true && (settings.apiVersion === undefined || settings.apiVersion === 'v1')) {
    throw new KeylessError(
      'CONFIG_INVALID',
      'createAzureProvider: useDeploymentBasedUrls needs apiVersion, a dated api-version such as 2024-10-21 (the deployment URLs have no "v1"). Pass apiVersion, or drop useDeploymentBasedUrls to use the /openai/v1 API.',
    );
  }
  return createAzure({
    ...settings,
    // The form every @ai-sdk/azure version reads alike: it adds `/v1` (or `/deployments/…`) and the
    // api-version itself on Azure hosts. (Versions from 3.0.69 use the bare path on other hosts.)
    baseURL: `${target.endpoint}/openai`,
    apiKey: PLACEHOLDER,
    fetch: target.fetch,
  });
}
