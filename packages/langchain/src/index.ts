import { authorizedEndpoint, type RequestAuth, requireSetting } from '@keyless/core/adapter';
import { AzureChatOpenAI, AzureOpenAIEmbeddings, ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';

type ChatFields = NonNullable<ConstructorParameters<typeof AzureChatOpenAI>[0]>;
type EmbeddingsFields = NonNullable<ConstructorParameters<typeof AzureOpenAIEmbeddings>[0]>;

/**
 * LangChain reads AZURE_OPENAI_API_KEY at construction and, beside a token provider, either throws
 * or sends both headers (Azure answers 400). keyless gives it an explicit placeholder key instead,
 * so the environment is never read, and its fetch replaces the header with exactly one real one.
 */
const PLACEHOLDER = 'set-by-keyless';

type Credentials = 'apiKey' | 'openAIApiKey' | 'azureOpenAIApiKey' | 'azureADTokenProvider';
type Routing =
  | 'azureOpenAIEndpoint'
  | 'azureOpenAIBasePath'
  | 'azureOpenAIApiInstanceName'
  | 'azureOpenAIApiDeploymentName'
  | 'deploymentName';

/** Common options: keyless auth, the endpoint, the deployment and the api-version. */
interface KeylessFields {
  /** Where credentials come from: `createAuth(...)` or `authFromEnv()` from @keyless/core. */
  auth: RequestAuth;
  /** The resource endpoint, e.g. `https://my-resource.openai.azure.com`. */
  endpoint: string;
  /** The deployment name. */
  deployment: string;
  /** The api-version, e.g. `2024-10-21`. */
  apiVersion: string;
}

/** Options of {@link createAzureChatOpenAI}: LangChain's fields, with keyless auth. */
export type CreateAzureChatOpenAIOptions = KeylessFields &
  Omit<ChatFields, Credentials | Routing | 'azureOpenAIApiVersion'>;

/** Options of {@link createAzureOpenAIEmbeddings}. */
export type CreateAzureOpenAIEmbeddingsOptions = KeylessFields &
  Omit<EmbeddingsFields, Credentials | Routing | 'azureOpenAIApiVersion'>;

/** LangChain's Azure fields from keyless's options: the endpoint's fetch, a placeholder key, routing. */
function wiring<T extends KeylessFields & { configuration?: ChatFields['configuration'] }>(
  component: string,
  { auth, endpoint, deployment, apiVersion, configuration, ...fields }: T,
) {
  const target = authorizedEndpoint(component, { auth, endpoint, fetch: configuration?.fetch });
  return {
    ...fields,
    azureOpenAIApiKey: PLACEHOLDER,
    azureOpenAIBasePath: `${target.endpoint}/openai/deployments`,
    // Checked here: LangChain's own message names settings the user never touched.
    azureOpenAIApiDeploymentName: requireSetting(component, 'deployment', deployment),
    azureOpenAIApiVersion: requireSetting(component, 'apiVersion', apiVersion),
    configuration: { ...configuration, fetch: target.fetch },
  };
}

/** LangChain's own `AzureChatOpenAI`, authenticated by keyless. */
export function createAzureChatOpenAI(options: CreateAzureChatOpenAIOptions): AzureChatOpenAI {
  return new AzureChatOpenAI(wiring('createAzureChatOpenAI', options));
}

/** LangChain's own `AzureOpenAIEmbeddings`, authenticated by keyless. */
export function createAzureOpenAIEmbeddings(options: CreateAzureOpenAIEmbeddingsOptions): AzureOpenAIEmbeddings {
  return new AzureOpenAIEmbeddings(wiring('createAzureOpenAIEmbeddings', options));
}

type V1ChatFields = NonNullable<ConstructorParameters<typeof ChatOpenAI>[0]>;
type V1EmbeddingsFields = NonNullable<ConstructorParameters<typeof OpenAIEmbeddings>[0]>;
type V1Owned = 'apiKey' | 'openAIApiKey' | 'model' | 'modelName';

/** Options of {@link createChatOpenAIForAzureV1}: LangChain's `ChatOpenAI` fields, with keyless auth. */
export type CreateChatOpenAIForAzureV1Options = Omit<V1ChatFields, V1Owned> & {
  /** Where credentials come from: `createAuth(...)` or `authFromEnv()` from @keyless/core. */
  auth: RequestAuth;
  /** The resource endpoint; requests go to `{endpoint}/openai/v1/`. */
  endpoint: string;
  /** The deployment name, sent as `model` (the v1 API routes by it). */
  model: string;
};

/** Options of {@link createOpenAIEmbeddingsForAzureV1}. */
export type CreateOpenAIEmbeddingsForAzureV1Options = Omit<V1EmbeddingsFields, V1Owned> & {
  auth: RequestAuth;
  endpoint: string;
  /** The embeddings deployment name, sent as `model`. */
  model: string;
};

/** `ChatOpenAI` / `OpenAIEmbeddings` fields for Azure's v1 API from keyless's options. */
function v1Wiring<
  T extends { auth: RequestAuth; endpoint: string; model: string; configuration?: V1ChatFields['configuration'] },
>(component: string, { auth, endpoint, model, configuration, ...fields }: T) {
  const target = authorizedEndpoint(component, { auth, endpoint, fetch: configuration?.fetch });
  return {
    ...fields,
    model: requireSetting(component, 'model', model),
    // Explicit, so OPENAI_API_KEY is never read; keyless's fetch sets the one real auth header.
    apiKey: PLACEHOLDER,
    configuration: { ...configuration, baseURL: `${target.endpoint}/openai/v1/`, fetch: target.fetch },
  };
}

/**
 * LangChain's own `ChatOpenAI` on Azure's `/openai/v1/` API (no api-version), authenticated by
 * keyless: chat completions, or the Responses API with `useResponsesApi: true`; tools
 * (`bindTools`), `withStructuredOutput`, streaming and `batch` work as LangChain documents them.
 *
 * @example
 * const model = createChatOpenAIForAzureV1({ auth: authFromEnv(), endpoint, model: 'gpt-4o-mini' });
 */
export function createChatOpenAIForAzureV1(options: CreateChatOpenAIForAzureV1Options): ChatOpenAI {
  return new ChatOpenAI(v1Wiring('createChatOpenAIForAzureV1', options));
}

/** LangChain's own `OpenAIEmbeddings` on Azure's `/openai/v1/` API, authenticated by keyless. */
export function createOpenAIEmbeddingsForAzureV1(options: CreateOpenAIEmbeddingsForAzureV1Options): OpenAIEmbeddings {
  return new OpenAIEmbeddings(v1Wiring('createOpenAIEmbeddingsForAzureV1', options));
}
