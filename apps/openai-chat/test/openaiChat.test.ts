import { createAuth } from '@keyless/core';
import { useEmulator } from '@keyless/testing/vitest';
import { beforeAll, expect, it } from 'vitest';
import { runOpenAIChat } from '../src/openaiChat.js';

const emulator = useEmulator({ reset: false });
beforeAll(async () => {
  Object.assign(process.env, emulator.env('managedIdentity'));
});

it('chats, streams, embeds, answers through the Responses API and Realtime with managed identity', async () => {
  let printed = '';
  const result = await runOpenAIChat({
    auth: createAuth({ kind: 'managedIdentity' }),
    endpoint: emulator.openaiEndpoint,
    deployment: emulator.deployments.chat,
    embeddingsDeployment: emulator.deployments.embeddings,
    apiVersion: emulator.apiVersion,
    realtime: { deployment: emulator.deployments.chat, ca: emulator.caCertificate },
    write: (text) => {
      printed += text;
    },
  });
  expect(result.answer).toBe('Echo: Say hello to keyless auth.');
  expect(result.streamed).toBe('Echo: Stream these words one by one.');
  expect(result.dimensions).toBe(16);
  expect(printed).toContain('stream: Echo: Stream these words one by one.\n');
  expect(result.response).toBe('Echo: Answer through the Responses API.');
  expect(result.realtime).toBe('Echo: Say hello in real time.');
  expect(printed).toContain('realtime: Echo: Say hello in real time.\n');
  expect(emulator.counters.tokenRequests.appService).toBe(1);
  // chat, stream, embeddings, responses, and the Realtime handshake: each with the one token.
  expect(emulator.counters.dataPlane.bearer).toBe(5);
  expect(emulator.counters.realtimeSessions).toBe(1);
});
