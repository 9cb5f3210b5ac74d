import { createAuthorizedFetch, type RequestAuth, resourceEndpoint } from '@keyless/core';
import { AzureOpenAI, OpenAI } from 'openai';

type AzureClientOptions = NonNullable<ConstructorParameters<typeof AzureOpenAI>[0]>;
type OpenAIClientOptions = NonNullable<ConstructorParameters<typeof OpenAI>[0]>;

/**
 * The SDK must be given some credential; keyless's fetch replaces it on every request with the
 * real one (exactly one auth header). Passing it explicitly also stops the SDK from reading an
 * ambient AZURE_OPENAI_API_KEY, and keeps the real key out of the client object (and its logs).
 */
const PLACEHOLDER = 'set-by-keyless';

/** Options of {@link createAzureOpenAI}: the SDK's own, with `auth` instead of credentials. */
export type CreateAzureOpenAIOptions = Omit<
  AzureClientOptions,
  'apiKey' | 'azureADTokenProvider' | 'endpoint' | 'baseURL'
> & {
  /** Where credentials come from: `createAuth(...)` or `authFromEnv()` from @keyless/core. */
  auth: RequestAuth;
  /** The resource endpoint, e.g. `https://my-resource.openai.azure.com`. */
  endpoint: string;
};

/**
 * The `openai` SDK's own `AzureOpenAI`, authenticated by keyless: cached tokens (or the key),
 * one refresh-and-retry on an invalid/expired-token 401, and an explained PermissionDenied.
 *
 * @example
 * const client = createAzureOpenAI({ auth: authFromEnv(), endpoint, deployment: 'gpt-4o-mini', apiVersion: '2024-10-21' });
 */
export function createAzureOpenAI({ auth, endpoint, fetch, ...options }: CreateAzureOpenAIOptions): AzureOpenAI {
  const base = resourceEndpoint('createAzureOpenAI', 'endpoint', endpoint);
  return new AzureOpenAI({
    ...options,
    endpoint: base,
    apiKey: PLACEHOLDER,
    fetch: createAuthorizedFetch(auth, { origin: base, fetch }),
  });
}

/** Options of {@link createOpenAIForAzureV1}. */
export type CreateOpenAIForAzureV1Options = Omit<OpenAIClientOptions, 'apiKey' | 'baseURL'> & {
  auth: RequestAuth;
  /** The resource endpoint; requests go to `{endpoint}/openai/v1/`. */
  endpoint: string;
};

/**
 * The plain `OpenAI` client on Azure's `/openai/v1/` path (no api-version; pass the deployment
 * name as `model`), authenticated by keyless.
 */
export function createOpenAIForAzureV1({ auth, endpoint, fetch, ...options }: CreateOpenAIForAzureV1Options): OpenAI {
  const base = resourceEndpoint('createOpenAIForAzureV1', 'endpoint', endpoint);
  return new OpenAI({
    ...options,
    baseURL: `${base}/openai/v1/`,
    apiKey: PLACEHOLDER,
    fetch: createAuthorizedFetch(auth, { origin: base, fetch }),
  });
}
