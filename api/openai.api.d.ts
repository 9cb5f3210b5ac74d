import { RequestAuth } from '@keyless/core/adapter';
import { AzureOpenAI, OpenAI } from 'openai';

type AzureClientOptions = NonNullable<ConstructorParameters<typeof AzureOpenAI>[0]>;
type OpenAIClientOptions = NonNullable<ConstructorParameters<typeof OpenAI>[0]>;
/** Options of {@link createAzureOpenAI}: the SDK's own, with `auth` instead of credentials. */
type CreateAzureOpenAIOptions = Omit<AzureClientOptions, 'apiKey' | 'azureADTokenProvider' | 'endpoint' | 'baseURL'> & {
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
declare function createAzureOpenAI({ auth, endpoint, fetch, ...options }: CreateAzureOpenAIOptions): AzureOpenAI;
/** Options of {@link createOpenAIForAzureV1}. */
type CreateOpenAIForAzureV1Options = Omit<OpenAIClientOptions, 'apiKey' | 'baseURL'> & {
    auth: RequestAuth;
    /** The resource endpoint; requests go to `{endpoint}/openai/v1/`. */
    endpoint: string;
};
/**
 * The plain `OpenAI` client on Azure's `/openai/v1/` path (no api-version; pass the deployment
 * name as `model`), authenticated by keyless.
 */
declare function createOpenAIForAzureV1({ auth, endpoint, fetch, ...options }: CreateOpenAIForAzureV1Options): OpenAI;

export { type CreateAzureOpenAIOptions, type CreateOpenAIForAzureV1Options, createAzureOpenAI, createOpenAIForAzureV1 };
