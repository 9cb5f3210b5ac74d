import { createAzureChatOpenAI, createAzureOpenAIEmbeddings } from '@keyless/langchain';
import type { MakeAdapter } from '../describeAdapterConformance.js';

/** LangChain's AzureChatOpenAI / AzureOpenAIEmbeddings built by keyless, as users call them. */
export const langchainAdapter: MakeAdapter = (auth, emulator, options = {}) => {
  const common = {
    auth,
    endpoint: options.endpoint ?? emulator.openaiEndpoint,
    apiVersion: emulator.apiVersion,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
    configuration: { fetch: options.fetch },
  };
  const chat = createAzureChatOpenAI({ ...common, deployment: emulator.deployments.chat });
  const embeddings = createAzureOpenAIEmbeddings({ ...common, deployment: emulator.deployments.embeddings });
  return {
    async chat(content) {
      return String((await chat.invoke(content)).content);
    },
    async stream(content) {
      let text = '';
      for await (const chunk of await chat.stream(content)) text += String(chunk.content);
      return text;
    },
    embed: (texts) => embeddings.embedDocuments(texts),
  };
};
