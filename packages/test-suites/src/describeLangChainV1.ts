import { type Auth, createAuth } from '@keyless/core';
import { createChatOpenAIForAzureV1, createOpenAIEmbeddingsForAzureV1 } from '@keyless/langchain';
import { type EmulatorEnvKind, embed } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { strategyFor } from './strategyFor.js';

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'The weather in a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};

/**
 * LangChain's own `ChatOpenAI` and `OpenAIEmbeddings` on Azure's `/openai/v1/` API through
 * keyless, for one strategy kind: invoke, streaming, batch, tools, structured output, and the
 * same through the Responses API (`useResponsesApi: true`); every call with exactly one header.
 */
export function describeLangChainV1(kind: EmulatorEnvKind): void {
  const tokenKind = kind !== 'apiKey';
  describe(`LangChain ChatOpenAI on /openai/v1 with ${kind}`, () => {
    const emulator = useEmulator({ env: kind });
    let auth: Auth;
    const chat = (useResponsesApi: boolean) =>
      createChatOpenAIForAzureV1({
        auth,
        endpoint: emulator.openaiEndpoint,
        model: emulator.deployments.chat,
        useResponsesApi,
        maxRetries: 0,
      });
    beforeEach(() => {
      process.env.AZURE_OPENAI_API_KEY = 'ambient-canary-key-from-the-environment';
      process.env.OPENAI_API_KEY = 'ambient-canary-openai-key';
      auth = createAuth(strategyFor(kind, emulator));
    });

    for (const useResponsesApi of [false, true]) {
      const api = useResponsesApi ? 'the Responses API' : 'chat completions';
      it(`invokes, streams and batches over ${api}`, async () => {
        const model = chat(useResponsesApi);
        expect((await model.invoke('hello v1')).text).toBe('Echo: hello v1');
        let streamed = '';
        for await (const chunk of await model.stream('streamed v1')) streamed += chunk.text;
        expect(streamed).toBe('Echo: streamed v1');
        const batch = await model.batch(['one', 'two', 'three']);
        expect(batch.map((message) => message.text)).toEqual(['Echo: one', 'Echo: two', 'Echo: three']);
        const calls = emulator.log.filter((entry) => entry.endpoint === 'dataPlane');
        const path = useResponsesApi ? '/openai/v1/responses' : '/openai/v1/chat/completions';
        expect(calls.map((entry) => entry.path)).toEqual(Array(5).fill(path));
        expect(calls.every((entry) => entry.auth === (tokenKind ? 'bearer' : 'api-key'))).toBe(true);
      });

      it(`calls a bound tool and returns structured output over ${api}`, async () => {
        const model = chat(useResponsesApi);
        const message = await model.bindTools([weatherTool]).invoke('What is the weather in Paris?');
        expect(message.tool_calls?.[0]?.name).toBe('get_weather');
        const city = await model
          .withStructuredOutput(z.object({ name: z.string(), country: z.string() }), { name: 'city' })
          .invoke('Name a city');
        expect(typeof city.name).toBe('string');
        expect(typeof city.country).toBe('string');
      });
    }

    it('embeds with OpenAIEmbeddings on /openai/v1', async () => {
      const embeddings = createOpenAIEmbeddingsForAzureV1({
        auth,
        endpoint: emulator.openaiEndpoint,
        model: emulator.deployments.embeddings,
        maxRetries: 0,
      });
      const vectors = await embeddings.embedDocuments(['alpha', 'beta']);
      expect(vectors).toHaveLength(2);
      expect(vectors[0]?.[0]).toBeCloseTo(embed('alpha')[0] ?? Number.NaN, 5);
      expect(
        emulator.log.every((entry) => entry.endpoint !== 'dataPlane' || entry.path === '/openai/v1/embeddings'),
      ).toBe(true);
    });
  });
}
