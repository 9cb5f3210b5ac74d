import { createAzureProvider } from '@keyless/ai-sdk';
import { embedMany, generateText, streamText } from 'ai';
import type { MakeAdapter } from '../describeAdapterConformance.js';

/** The AI SDK's Azure provider built by keyless (the /openai/v1 API), as users call it. */
export const aiSdkAdapter: MakeAdapter = (auth, emulator, baseFetch, endpoint = emulator.openaiEndpoint) => {
  const azure = createAzureProvider({ auth, endpoint, ...(baseFetch === undefined ? {} : { fetch: baseFetch }) });
  return {
    async chat(content) {
      return (await generateText({ model: azure.chat(emulator.deployments.chat), prompt: content, maxRetries: 0 }))
        .text;
    },
    async stream(content) {
      let text = '';
      let failure: unknown;
      const result = streamText({
        model: azure.chat(emulator.deployments.chat),
        prompt: content,
        maxRetries: 0,
        onError: ({ error }) => {
          failure = error;
        },
      });
      for await (const delta of result.textStream) text += delta;
      if (failure !== undefined) throw failure;
      return text;
    },
    async embed(texts) {
      const result = await embedMany({
        model: azure.textEmbeddingModel(emulator.deployments.embeddings),
        values: texts,
        maxRetries: 0,
      });
      return result.embeddings;
    },
  };
};
