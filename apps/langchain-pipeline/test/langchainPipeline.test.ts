import { createAuth } from '@keyless/core';
import { useEmulator } from '@keyless/testing/vitest';
import { expect, it } from 'vitest';
import { cosine, runLangchainPipeline } from '../src/langchainPipeline.js';

const emulator = useEmulator({ reset: false });

it('runs the LCEL chain in a batch, streams, and finds the most similar document', async () => {
  const result = await runLangchainPipeline({
    auth: createAuth({
      kind: 'msalConfidentialClient',
      tenantId: emulator.tenantId,
      clientId: emulator.client.clientId,
      clientSecret: emulator.client.clientSecret,
      authorityHost: emulator.authorityHost,
      ca: emulator.caCertificate,
    }),
    endpoint: emulator.openaiEndpoint,
    deployment: emulator.deployments.chat,
    embeddingsDeployment: emulator.deployments.embeddings,
    apiVersion: emulator.apiVersion,
    write: () => undefined,
  });
  expect(result.answers).toEqual([
    'Echo: Explain managed identity',
    'Echo: Explain token refresh',
    'Echo: Explain role assignments',
  ]);
  expect(result.best).toBe('The Cognitive Services OpenAI User role allows inference calls.');
  expect(emulator.counters.tokenRequests.entra).toBe(1);
  expect(emulator.counters.dataPlane.bearer).toBe(result.calls);
});

it('scores identical vectors 1 and orthogonal ones 0', () => {
  expect(cosine([1, 2], [1, 2])).toBeCloseTo(1);
  expect(cosine([1, 0], [0, 1])).toBe(0);
});
