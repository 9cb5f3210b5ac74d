import { RequestAuth } from '@keyless/core';
import { AzureChatOpenAI, AzureOpenAIEmbeddings } from '@langchain/openai';

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
declare function createAzureChatOpenAI({ auth, endpoint, deployment, apiVersion, configuration, ...fields }: CreateAzureChatOpenAIOptions): AzureChatOpenAI;
/** LangChain's own `AzureOpenAIEmbeddings`, authenticated by keyless. */
declare function createAzureOpenAIEmbeddings({ auth, endpoint, deployment, apiVersion, configuration, ...fields }: CreateAzureOpenAIEmbeddingsOptions): AzureOpenAIEmbeddings;

export { type CreateAzureChatOpenAIOptions, type CreateAzureOpenAIEmbeddingsOptions, createAzureChatOpenAI, createAzureOpenAIEmbeddings };
