import { RequestAuth } from '@keyless/core/adapter';
import { AzureChatOpenAI, AzureOpenAIEmbeddings, ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';

type ChatFields = NonNullable<ConstructorParameters<typeof AzureChatOpenAI>[0]>;
type EmbeddingsFields = NonNullable<ConstructorParameters<typeof AzureOpenAIEmbeddings>[0]>;
type Credentials = 'apiKey' | 'openAIApiKey' | 'azureOpenAIApiKey' | 'azureADTokenProvider';
type Routing = 'azureOpenAIEndpoint' | 'azureOpenAIBasePath' | 'azureOpenAIApiInstanceName' | 'azureOpenAIApiDeploymentName' | 'deploymentName';
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
type CreateAzureChatOpenAIOptions = KeylessFields & Omit<ChatFields, Credentials | Routing | 'azureOpenAIApiVersion'>;
/** Options of {@link createAzureOpenAIEmbeddings}. */
type CreateAzureOpenAIEmbeddingsOptions = KeylessFields & Omit<EmbeddingsFields, Credentials | Routing | 'azureOpenAIApiVersion'>;
/** LangChain's own `AzureChatOpenAI`, authenticated by keyless. */
declare function createAzureChatOpenAI(options: CreateAzureChatOpenAIOptions): AzureChatOpenAI;
/** LangChain's own `AzureOpenAIEmbeddings`, authenticated by keyless. */
declare function createAzureOpenAIEmbeddings(options: CreateAzureOpenAIEmbeddingsOptions): AzureOpenAIEmbeddings;
type V1ChatFields = NonNullable<ConstructorParameters<typeof ChatOpenAI>[0]>;
type V1EmbeddingsFields = NonNullable<ConstructorParameters<typeof OpenAIEmbeddings>[0]>;
type V1Owned = 'apiKey' | 'openAIApiKey' | 'model' | 'modelName';
/** Options of {@link createChatOpenAIForAzureV1}: LangChain's `ChatOpenAI` fields, with keyless auth. */
type CreateChatOpenAIForAzureV1Options = Omit<V1ChatFields, V1Owned> & {
    /** Where credentials come from: `createAuth(...)` or `authFromEnv()` from @keyless/core. */
    auth: RequestAuth;
    /** The resource endpoint; requests go to `{endpoint}/openai/v1/`. */
    endpoint: string;
    /** The deployment name, sent as `model` (the v1 API routes by it). */
    model: string;
};
/** Options of {@link createOpenAIEmbeddingsForAzureV1}. */
type CreateOpenAIEmbeddingsForAzureV1Options = Omit<V1EmbeddingsFields, V1Owned> & {
    auth: RequestAuth;
    endpoint: string;
    /** The embeddings deployment name, sent as `model`. */
    model: string;
};
/**
 * LangChain's own `ChatOpenAI` on Azure's `/openai/v1/` API (no api-version), authenticated by
 * keyless: chat completions, or the Responses API with `useResponsesApi: true`; tools
 * (`bindTools`), `withStructuredOutput`, streaming and `batch` work as LangChain documents them.
 *
 * @example
 * const model = createChatOpenAIForAzureV1({ auth: authFromEnv(), endpoint, model: 'gpt-4o-mini' });
 */
declare function createChatOpenAIForAzureV1(options: CreateChatOpenAIForAzureV1Options): ChatOpenAI;
/** LangChain's own `OpenAIEmbeddings` on Azure's `/openai/v1/` API, authenticated by keyless. */
declare function createOpenAIEmbeddingsForAzureV1(options: CreateOpenAIEmbeddingsForAzureV1Options): OpenAIEmbeddings;

export { type CreateAzureChatOpenAIOptions, type CreateAzureOpenAIEmbeddingsOptions, type CreateChatOpenAIForAzureV1Options, type CreateOpenAIEmbeddingsForAzureV1Options, createAzureChatOpenAI, createAzureOpenAIEmbeddings, createChatOpenAIForAzureV1, createOpenAIEmbeddingsForAzureV1 };
