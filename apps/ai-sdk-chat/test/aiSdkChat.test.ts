import { createAuth } from '@keyless/core';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeAll, expect, it } from 'vitest';
import { runAiSdkChat } from '../src/aiSdkChat.js';

const emulator = useEmulator({ reset: false });
beforeAll(async () => {
  Object.assign(process.env, emulator.env('managedIdentity'));
});

it('streams, calls a tool and embeds through the AI SDK with managed identity', async () => {
  let printed = '';
  const result = await runAiSdkChat({
    auth: createAuth({ kind: 'managedIdentity' }),
    endpoint: emulator.openaiEndpoint,
    deployment: emulator.deployments.chat,
    embeddingsDeployment: emulator.deployments.embeddings,
    apiVersion: emulator.apiVersion,
    write: (text) => {
      printed += text;
    },
  });
  expect(result.streamed).toBe('Echo: Stream a greeting to keyless auth.');
  expect(result.toolCalls).toBe(1);
  expect(result.toolAnswer).toContain('sunny in Lisbon');
  expect(result.dimensions).toBe(16);
  expect(printed).toContain('stream: Echo: Stream a greeting to keyless auth.\n');
  expect(emulator.counters.tokenRequests.appService).toBe(1);
  expect(emulator.counters.dataPlane.bearer).toBe(4);
});
