import { createAzureProvider } from '@keyless/ai-sdk';
import { type Auth, createAuth } from '@keyless/core';
import type { EmulatorEnvKind } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { embed, embedMany, generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { strategyFor } from './strategyFor.js';

/**
 * What the AI SDK offers beyond the shared adapter suite (which it runs too, through
 * `adapters['ai-sdk']`: herd, chat, stream, embeddings, missing role, redirect, revoked token):
 * the real `ai` + `@ai-sdk/azure` through keyless on the /openai/v1 URLs and on the
 * deployment-based URLs: the Responses API, generateObject, a tool round trip, embed/embedMany, and
 * an ambient AZURE_API_KEY never sent. One strategy per file, as for every suite.
 */
export function describeAiSdkSurfaces(kind: EmulatorEnvKind): void {
  describe(`AI SDK surfaces with ${kind}`, () => {
    const emulator = useEmulator({ env: kind });
    let auth: Auth;
    const tokenKind = kind !== 'apiKey';
    const providers = (options: { fetch?: typeof fetch } = {}) => ({
      v1: createAzureProvider({ auth, endpoint: emulator.openaiEndpoint, ...options }),
      deployments: createAzureProvider({
        auth,
        endpoint: emulator.openaiEndpoint,
        useDeploymentBasedUrls: true,
        apiVersion: emulator.apiVersion,
        ...options,
      }),
    });
    beforeEach(() => {
      // The provider would read this; keyless must never read or send it.
      process.env.AZURE_API_KEY = 'ambient-canary-key-from-the-environment';
      auth = createAuth(strategyFor(kind, emulator));
    });

    it('generateText and streamText through the Responses API (v1) and chat completions (deployment URLs)', async () => {
      const { v1, deployments } = providers();
      expect((await generateText({ model: v1(emulator.deployments.chat), prompt: 'hello responses' })).text).toBe(
        'Echo: hello responses',
      );
      expect(
        (await generateText({ model: deployments.chat(emulator.deployments.chat), prompt: 'hello chat' })).text,
      ).toBe('Echo: hello chat');
      for (const model of [
        v1(emulator.deployments.chat),
        deployments.chat(emulator.deployments.chat),
        v1.chat(emulator.deployments.chat),
      ]) {
        const streamed = streamText({ model, prompt: 'streamed words arrive' });
        let text = '';
        for await (const delta of streamed.textStream) text += delta;
        expect(text).toBe('Echo: streamed words arrive');
      }
      // On this 127.0.0.1 host @ai-sdk/azure 3.0.69+ drops the `v1` that it sends to Azure hosts.
      const paths = new Set(
        emulator.log.filter((e) => e.endpoint === 'dataPlane').map((e) => e.path.replace('/openai/v1/', '/openai/')),
      );
      expect(paths).toEqual(
        new Set([
          '/openai/responses',
          '/openai/chat/completions',
          `/openai/deployments/${emulator.deployments.chat}/chat/completions`,
        ]),
      );
      const auths = new Set(emulator.log.filter((e) => e.endpoint === 'dataPlane').map((e) => e.auth));
      expect(auths).toEqual(new Set([tokenKind ? 'bearer' : 'api-key']));
    });

    it('generateObject returns an object of the schema', async () => {
      const { v1, deployments } = providers();
      const schema = z.object({ title: z.string(), score: z.number(), tags: z.array(z.string()) });
      for (const model of [v1(emulator.deployments.chat), deployments.chat(emulator.deployments.chat)]) {
        const { object } = await generateObject({ model, schema, prompt: 'structured please' });
        expect(object).toEqual({ title: 'Echo: structured please', score: 23, tags: ['Echo: structured please'] });
      }
    });

    it('runs a tool call round trip', async () => {
      const { v1, deployments } = providers();
      const calls: string[] = [];
      const weather = tool({
        description: 'The weather in a city',
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => {
          calls.push(city);
          return `sunny in ${city}`;
        },
      });
      for (const model of [v1(emulator.deployments.chat), deployments.chat(emulator.deployments.chat)]) {
        const result = await generateText({ model, tools: { weather }, stopWhen: stepCountIs(3), prompt: 'Paris' });
        expect(result.steps[0]?.toolCalls.map((c) => c.toolName)).toEqual(['weather']);
        // The tool's output reaches the model as text (Responses) or as a JSON string (chat).
        expect(result.text).toMatch(/^Echo: tool result: "?sunny in Paris"?$/);
      }
      expect(calls).toEqual(['Paris', 'Paris']);
    });

    it('embed and embedMany', async () => {
      const { v1, deployments } = providers();
      for (const provider of [v1, deployments]) {
        const model = provider.textEmbeddingModel(emulator.deployments.embeddings);
        const one = await embed({ model, value: 'alpha' });
        const many = await embedMany({ model, values: ['alpha', 'beta'] });
        expect(one.embedding).toHaveLength(16);
        expect(many.embeddings[0]).toEqual(one.embedding);
      }
    });

    it('never sends the ambient AZURE_API_KEY', async () => {
      const { v1 } = providers();
      await generateText({ model: v1(emulator.deployments.chat), prompt: 'ambient' });
      expect(emulator.counters.dataPlane.apiKey).toBe(tokenKind ? 0 : 1);
      expect(emulator.counters.dataPlaneRejected).toBe(0);
    });
  });
}
