import { authorizedEndpoint, credentialFailureResponse, type RequestAuth, sdkCredential } from '@keyless/core/adapter';
import { APIError, AzureOpenAI, OpenAI } from 'openai';

type AzureClientOptions = NonNullable<ConstructorParameters<typeof AzureOpenAI>[0]>;
type OpenAIClientOptions = NonNullable<ConstructorParameters<typeof OpenAI>[0]>;

/**
 * The SDK's own `apiKey`: the key (apiKey strategy) or a function returning the current token.
 * HTTP requests get their one auth header from keyless's fetch; the SDK uses this value only for
 * what bypasses fetch, the Realtime WebSocket handshake (`api-key` for a key, `Authorization:
 * Bearer` for a function). Passing it explicitly stops the SDK from reading an ambient
 * AZURE_OPENAI_API_KEY. A token that cannot be had is thrown as the openai `APIError` keyless's
 * fetch would have produced (same status, message and `keylessErrorOf`), never a placeholder.
 */
function sdkApiKey(auth: RequestAuth): string | (() => Promise<string>) {
  const credential = sdkCredential(auth);
  if (typeof credential === 'string') return credential;
  return () =>
    credential().catch(async (error: unknown) => {
      const answer = credentialFailureResponse(error);
      throw APIError.generate(answer.status, await answer.json(), undefined, answer.headers);
    });
}

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
  // The scope the endpoint calls for, unless the caller set one (a Foundry project: ai.azure.com).
  const target = authorizedEndpoint('createAzureOpenAI', { auth, endpoint, fetch });
  const credential = sdkApiKey(target.auth);
  return new AzureOpenAI({
    ...options,
    endpoint: target.endpoint,
    // A token function goes in as the SDK's documented `azureADTokenProvider`; `apiKey: null`
    // (not undefined) keeps the SDK from defaulting it to an ambient AZURE_OPENAI_API_KEY.
    ...(typeof credential === 'string'
      ? { apiKey: credential }
      : { azureADTokenProvider: credential, apiKey: null as unknown as undefined }),
    fetch: target.fetch,
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
  const target = authorizedEndpoint('createOpenAIForAzureV1', { auth, endpoint, fetch });
  return new OpenAI({
    ...options,
    baseURL: `${target.endpoint}/openai/v1/`,
    apiKey: sdkApiKey(target.auth),
    fetch: target.fetch,
  });
}
