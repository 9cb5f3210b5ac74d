import { createAzureOpenAI } from '@keyless/openai';
import type { MakeAdapter } from '../describeAdapterConformance.js';

/** The openai SDK's AzureOpenAI built by keyless, as users call it. */
export const openaiAdapter: MakeAdapter = (auth, emulator, options = {}) => {
  const client = createAzureOpenAI({
    auth,
    endpoint: options.endpoint ?? emulator.openaiEndpoint,
    apiVersion: emulator.apiVersion,
    fetch: options.fetch,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  });
  const messages = (content: string) => [{ role: 'user' as const, content }];
  return {
    async chat(content) {
      const completion = await client.chat.completions.create({
        model: emulator.deployments.chat,
        messages: messages(content),
      });
      return completion.choices[0]?.message.content ?? '';
    },
    async stream(content) {
      let text = '';
      const stream = await client.chat.completions.create({
        model: emulator.deployments.chat,
        messages: messages(content),
        stream: true,
      });
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    },
    async embed(texts) {
      const result = await client.embeddings.create({ model: emulator.deployments.embeddings, input: texts });
      return result.data.map((d) => d.embedding);
    },
  };
};
