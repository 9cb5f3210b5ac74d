import { randomUUID } from 'node:crypto';
import { type Auth, createAuth, decodeJwtClaims, keylessErrorOf, type Strategy } from '@keyless/core';
import { createAzureOpenAI, createOpenAIForAzureV1 } from '@keyless/openai';
import type { Emulator, EmulatorEnvKind } from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { toFile } from 'openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';
import { beforeEach, describe, expect, it } from 'vitest';
import { strategyFor } from './strategyFor.js';

/** Sends one user message on an open Realtime session and collects the streamed answer. */
function converse(rt: OpenAIRealtimeWS, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const timer = setTimeout(() => reject(new Error('no response.done within 5 s')), 5_000);
    rt.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    rt.on('response.output_text.delta', (event) => {
      answer += event.delta;
    });
    rt.on('response.done', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    const start = () => {
      rt.send({
        type: 'conversation.item.create',
        item: { type: 'message', role: 'user', content: [{ type: 'input_text', text }] },
      });
      rt.send({ type: 'response.create' });
    };
    if (rt.socket.readyState === 1) start();
    else rt.socket.once('open', start);
  });
}

/** A strategy of the same kind that cannot get a token (a setting only the user can fix). */
function brokenStrategy(kind: EmulatorEnvKind, emulator: Emulator): Strategy {
  const strategy = strategyFor(kind, emulator);
  if (strategy.kind === 'msalConfidentialClient') {
    return {
      kind: 'msalConfidentialClient',
      tenantId: strategy.tenantId,
      clientId: strategy.clientId,
      authorityHost: emulator.authorityHost,
      ca: emulator.caCertificate,
      clientSecret: 'wrong-secret-value',
    };
  }
  if (strategy.kind === 'managedIdentity') return { kind: 'managedIdentity', clientId: randomUUID() };
  throw new Error(`no broken strategy for ${kind}`);
}

/**
 * The openai SDK's other surfaces through keyless, for one strategy kind: the Realtime WebSocket
 * (`OpenAIRealtimeWS.azure` and `.create`), the Responses API, tool calls and structured output,
 * file uploads (multipart), and the `https://ai.azure.com/.default` scope.
 */
export function describeOpenAISurfaces(kind: EmulatorEnvKind): void {
  const tokenKind = kind !== 'apiKey';
  describe(`openai surfaces with ${kind}`, () => {
    const emulator = useEmulator({ env: kind });
    let auth: Auth;
    const realtimeLog = () => emulator.log.filter((entry) => entry.path.endsWith('/realtime'));
    const azureClient = () =>
      createAzureOpenAI({
        auth,
        endpoint: emulator.openaiEndpoint,
        apiVersion: emulator.apiVersion,
        deployment: emulator.deployments.chat,
      });
    const v1Client = () => createOpenAIForAzureV1({ auth, endpoint: emulator.openaiEndpoint });
    // The emulator's certificate, trusted for the wss:// handshake only (ws client options).
    const tls = () => ({ options: { ca: emulator.caCertificate } });
    beforeEach(() => {
      process.env.AZURE_OPENAI_API_KEY = 'ambient-canary-key-from-the-environment';
      auth = createAuth(strategyFor(kind, emulator));
    });

    it('opens a Realtime session with OpenAIRealtimeWS.azure: the current credential, one header, nothing in the URL', async () => {
      const rt = await OpenAIRealtimeWS.azure(azureClient(), tls());
      try {
        expect(await converse(rt, 'hello realtime')).toBe('Echo: hello realtime');
      } finally {
        rt.close();
      }
      const [handshake] = realtimeLog();
      expect(handshake?.status).toBe(101);
      expect(handshake?.auth).toBe(tokenKind ? 'bearer' : 'api-key');
      if (tokenKind) expect(handshake?.tokenId).toBe(decodeJwtClaims(await auth.getToken())?.jti);
      expect(rt.url.toString()).not.toMatch(/eyJ|api-key|access_token/);
      expect(rt.url.toString()).not.toContain(emulator.apiKey);
      expect(emulator.counters.realtimeSessions).toBe(1);
    });

    it('opens a Realtime session with OpenAIRealtimeWS.create on the /openai/v1 client', async () => {
      const rt = await OpenAIRealtimeWS.create(v1Client(), { model: emulator.deployments.chat, ...tls() });
      try {
        expect(await converse(rt, 'over v1')).toBe('Echo: over v1');
      } finally {
        rt.close();
      }
      expect(realtimeLog().map((entry) => entry.status)).toEqual([101]);
      expect(realtimeLog()[0]?.auth).toBe('bearer');
    });

    it.skipIf(!tokenKind)('opens a session after an invalidation with the new token', async () => {
      const client = azureClient();
      const first = await OpenAIRealtimeWS.azure(client, tls());
      await converse(first, 'first');
      first.close();
      emulator.revokeTokens();
      // An HTTP call meets the revoked token: 401, one refresh, one retry.
      const completion = await client.chat.completions.create({
        model: emulator.deployments.chat,
        messages: [{ role: 'user', content: 'after revoke' }],
      });
      expect(completion.choices[0]?.message.content).toBe('Echo: after revoke');
      const second = await OpenAIRealtimeWS.azure(client, tls());
      try {
        expect(await converse(second, 'second')).toBe('Echo: second');
      } finally {
        second.close();
      }
      const [before, after] = realtimeLog();
      expect(before?.tokenId).toBeDefined();
      expect(after?.tokenId).not.toBe(before?.tokenId);
      expect(after?.tokenId).toBe(decodeJwtClaims(await auth.getToken())?.jti);
    });

    it.skipIf(!tokenKind)('opens no session without a token: a keyless error, no placeholder sent', async () => {
      auth = createAuth(brokenStrategy(kind, emulator));
      const error = await OpenAIRealtimeWS.azure(azureClient(), tls()).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(keylessErrorOf(error)?.code).toMatch(/TOKEN_REQUEST_FAILED|CREDENTIAL_UNAVAILABLE/);
      expect(error?.message).toMatch(/^401 /);
      expect(realtimeLog()).toHaveLength(0);
    });

    it('answers the Responses API: text, streaming events and a function call', async () => {
      const client = v1Client();
      const response = await client.responses.create({ model: emulator.deployments.chat, input: 'responses work' });
      expect(response.output_text).toBe('Echo: responses work');
      const events: string[] = [];
      let streamed = '';
      const stream = await client.responses.create({
        model: emulator.deployments.chat,
        input: 'streamed response',
        stream: true,
      });
      for await (const event of stream) {
        events.push(event.type);
        if (event.type === 'response.output_text.delta') streamed += event.delta;
      }
      expect(streamed).toBe('Echo: streamed response');
      expect(events[0]).toBe('response.created');
      expect(events.at(-1)).toBe('response.completed');
      const call = await client.responses.create({
        model: emulator.deployments.chat,
        input: 'What is the weather in Paris?',
        tools: [
          {
            type: 'function',
            name: 'get_weather',
            strict: true,
            parameters: {
              type: 'object',
              properties: { city: { type: 'string' } },
              required: ['city'],
              additionalProperties: false,
            },
          },
        ],
      });
      const item = call.output.find((output) => output.type === 'function_call');
      expect(item?.type === 'function_call' ? item.name : undefined).toBe('get_weather');
    });

    it('answers tool calls and structured output on chat completions', async () => {
      const client = azureClient();
      const tool = await client.chat.completions.create({
        model: emulator.deployments.chat,
        messages: [{ role: 'user', content: 'weather in Paris?' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            },
          },
        ],
      });
      const toolCall = tool.choices[0]?.message.tool_calls?.[0];
      expect(toolCall?.type === 'function' ? toolCall.function.name : undefined).toBe('get_weather');
      const structured = await client.chat.completions.create({
        model: emulator.deployments.chat,
        messages: [{ role: 'user', content: 'a city please' }],
        response_format: {
          type: 'json_schema',
          json_schema: {
            name: 'city',
            strict: true,
            schema: {
              type: 'object',
              properties: { name: { type: 'string' } },
              required: ['name'],
              additionalProperties: false,
            },
          },
        },
      });
      const parsed = JSON.parse(structured.choices[0]?.message.content ?? 'null') as { name?: unknown };
      expect(typeof parsed.name).toBe('string');
    });

    it('uploads a file (multipart), retried once after an invalid-token 401 with one auth header per attempt', async () => {
      const client = azureClient();
      if (tokenKind) {
        await auth.getToken();
        emulator.revokeTokens();
      }
      const file = await client.files.create({
        file: await toFile(Buffer.from('{"prompt":"a","completion":"b"}\n'), 'train.jsonl'),
        purpose: 'fine-tune',
      });
      expect(file.filename).toBe('train.jsonl');
      expect(file.bytes).toBe(32);
      const uploads = emulator.log.filter((entry) => entry.path === '/openai/files');
      expect(uploads.map((entry) => entry.status)).toEqual(tokenKind ? [401, 200] : [200]);
      expect(uploads.every((entry) => entry.auth === (tokenKind ? 'bearer' : 'api-key'))).toBe(true);
      expect(emulator.counters.fileUploads).toBe(1);
      const listed = await client.files.list();
      expect(listed.data.map((f) => f.id)).toContain(file.id);
    });

    it.skipIf(!tokenKind)('works end to end with the scope https://ai.azure.com/.default', async () => {
      auth = createAuth(strategyFor(kind, emulator), { scope: 'https://ai.azure.com/.default' });
      expect(decodeJwtClaims(await auth.getToken())?.aud).toBe('https://ai.azure.com');
      const completion = await v1Client().chat.completions.create({
        model: emulator.deployments.chat,
        messages: [{ role: 'user', content: 'new audience' }],
      });
      expect(completion.choices[0]?.message.content).toBe('Echo: new audience');
      const rt = await OpenAIRealtimeWS.azure(azureClient(), tls());
      try {
        expect(await converse(rt, 'realtime audience')).toBe('Echo: realtime audience');
      } finally {
        rt.close();
      }
    });
  });
}
