import { createAzureProvider } from '@keyless/ai-sdk';
import { type Auth, createAuth } from '@keyless/core';
import { type EmulatorEnvKind, limitConcurrency } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { embed, embedMany, generateObject, generateText, stepCountIs, streamText, tool } from 'ai';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { principalFor, strategyFor, tokenRequests } from './strategyFor.js';

const HERD = 1_000;

/**
 * The real AI SDK (`ai` + `@ai-sdk/azure`) through keyless against the emulator, for one
 * strategy, on the /openai/v1 URLs and on the deployment-based URLs.
 */
export function describeAiSdk(kind: EmulatorEnvKind): void {
  describe(`AI SDK with ${kind}`, () => {
    const emulator = useEmulator();
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

    // First: msal-node's managed-identity cache is process-wide, so only the first test is cold.
    it(`makes ${tokenKind ? 'one token request' : 'no token request'} for ${HERD} concurrent cold generateText calls`, async () => {
      const { v1 } = providers({ fetch: limitConcurrency(256) });
      const results = await Promise.all(
        Array.from({ length: HERD }, (_, i) =>
          generateText({ model: v1(emulator.deployments.chat), prompt: `herd ${i % 10}` }),
        ),
      );
      expect(results.filter((r) => r.text.startsWith('Echo: herd'))).toHaveLength(HERD);
      expect(tokenRequests(emulator)).toBe(tokenKind ? 1 : 0);
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

    it.skipIf(!tokenKind)('explains a missing role in the APICallError message and does not retry', async () => {
      const { v1 } = providers();
      const oid = principalFor(kind, emulator) ?? '';
      await generateText({ model: v1(emulator.deployments.chat), prompt: 'warm' });
      const before = { tokens: tokenRequests(emulator), calls: emulator.counters.dataPlane.bearer };
      emulator.removeRole(oid);
      try {
        const error = await generateText({ model: v1(emulator.deployments.chat), prompt: 'denied' }).then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(error?.message).toContain('Cognitive Services OpenAI User');
        expect(error?.message).toContain(oid);
        expect(tokenRequests(emulator) - before.tokens).toBe(0);
        expect(emulator.counters.dataPlane.bearer - before.calls).toBe(1); // the AI SDK did not retry
      } finally {
        emulator.grantRole(oid);
      }
    });

    it.skipIf(!tokenKind)('answers a revoked token with exactly one refresh and one retry', async () => {
      const { v1 } = providers();
      await generateText({ model: v1(emulator.deployments.chat), prompt: 'before' });
      let refreshes = 0;
      auth.on((event) => {
        if (event.type === 'refresh-started') refreshes += 1;
      });
      const calls = emulator.counters.dataPlane.bearer;
      emulator.revokeTokens();
      expect((await generateText({ model: v1(emulator.deployments.chat), prompt: 'after revoke' })).text).toBe(
        'Echo: after revoke',
      );
      expect(refreshes).toBe(1);
      expect(emulator.counters.dataPlane.bearer - calls).toBe(2);
    });

    it('never sends the ambient AZURE_API_KEY', async () => {
      const { v1 } = providers();
      await generateText({ model: v1(emulator.deployments.chat), prompt: 'ambient' });
      expect(emulator.counters.dataPlane.apiKey).toBe(tokenKind ? 0 : 1);
      expect(emulator.counters.dataPlaneRejected).toBe(0);
    });
  });
}
