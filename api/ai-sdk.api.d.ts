import { AzureOpenAIProviderSettings, AzureOpenAIProvider } from '@ai-sdk/azure';
import { RequestAuth } from '@keyless/core/adapter';

/** Options of {@link createAzureProvider}: the provider's own settings, with `auth` and `endpoint`. */
type CreateAzureProviderOptions = Omit<AzureOpenAIProviderSettings, 'apiKey' | 'tokenProvider' | 'baseURL' | 'resourceName'> & {
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
declare function createAzureProvider({ auth, endpoint, fetch, ...settings }: CreateAzureProviderOptions): AzureOpenAIProvider;

export { type CreateAzureProviderOptions, createAzureProvider };
