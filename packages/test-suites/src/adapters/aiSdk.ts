import { createAzureProvider } from '@keyless/ai-sdk';
import { embedMany, generateText, streamText } from 'ai';
import type { MakeAdapter } from '../describeAdapterConformance.js';

/**
 * The AI SDK's Azure provider built by keyless, as users call it: `azure(deployment)`, the
 * Responses API on /openai/v1 (the provider's default).
 */
export const aiSdkAdapter: MakeAdapter = (auth, emulator, options = {}) => {
  const azure = createAzureProvider({
    auth,
    endpoint: options.endpoint ?? emulator.openaiEndpoint,
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
  const retries = options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries };
  return {
    async chat(content) {
      return (await generateText({ model: azure(emulator.deployments.chat), prompt: content, ...retries })).text;
    },
    async stream(content) {
      let text = '';
      let failure: unknown;
      const result = streamText({
        model: azure(emulator.deployments.chat),
        prompt: content,
        ...retries,
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
        ...retries,
      });
      return result.embeddings;
    },
  };
};
