import { createAzureProvider } from '@keyless/ai-sdk';
import { createAuth } from '@keyless/core';
import type { RequestAuth } from '@keyless/core/adapter';
import { createAuthorizedFetch } from '@keyless/fetch';
import { createAzureChatOpenAI, createChatOpenAIForAzureV1 } from '@keyless/langchain';
import { createAzureOpenAI, createOpenAIForAzureV1 } from '@keyless/openai';
import { type Emulator, type RecordingServer, startEmulator, startRecordingServer } from '@keyless/testing';
import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../src/figures.js';
import { msalSecret } from '../src/setup.js';

type Credential = 'apiKey' | 'token';
const CREDENTIAL_HEADERS = ['authorization', 'api-key', 'cookie', 'proxy-authorization'];

/**
 * A request for another origin through the adapter, the way each SDK lets its users make one:
 * an absolute URL given to the openai client (its own, or the one LangChain built), a redirect the
 * AI SDK's request follows, a plain call through the fetch adapter. Caller-set credential headers
 * ride along where the SDK takes them (a cookie, a second key), so they must be stripped as well.
 */
type Send = (auth: RequestAuth, emulator: Emulator, elsewhere: string) => Promise<unknown>;

const callerHeaders = { cookie: 'session=caller-canary-cookie', 'proxy-authorization': 'Basic caller-canary-proxy' };

/**
 * The openai client a LangChain model built on its first call (its chat-completions half holds it;
 * `completions` is protected in the types, public at run time).
 */
function langchainClient(model: object): OpenAIRequests {
  const client = (model as { completions?: { client?: OpenAIRequests } }).completions?.client;
  if (client === undefined) throw new Error('LangChain built no openai client: its internals moved');
  return client;
}

/** The openai client's own request methods, which take an absolute URL as the path. */
interface OpenAIRequests {
  get(path: string): PromiseLike<unknown>;
  post(path: string, options: { body: unknown }): PromiseLike<unknown>;
}

async function openaiClientCalls(client: OpenAIRequests, elsewhere: string): Promise<void> {
  await client.get(`${elsewhere}/absolute-get`);
  await client.post(`${elsewhere}/absolute-post`, { body: { from: 'sdk' } });
}

/** A LangChain model's first call builds its openai client; then that client's absolute calls. */
async function langchainCalls(model: { invoke(input: string): Promise<unknown> }, elsewhere: string) {
  await model.invoke('build the client');
  await openaiClientCalls(langchainClient(model), elsewhere);
}

const clientOptions = (auth: RequestAuth, emulator: Emulator) => ({
  auth,
  endpoint: emulator.openaiEndpoint,
  defaultHeaders: callerHeaders,
  maxRetries: 0,
});
const langchainOptions = (auth: RequestAuth, emulator: Emulator) => ({
  auth,
  endpoint: emulator.openaiEndpoint,
  configuration: { defaultHeaders: callerHeaders },
  maxRetries: 0,
});

const SENDERS: Record<string, { requests: number; send: Send }> = {
  'openai AzureOpenAI: client.get/post with an absolute URL': {
    requests: 2,
    send: (auth, emulator, elsewhere) =>
      openaiClientCalls(
        createAzureOpenAI({ ...clientOptions(auth, emulator), apiVersion: emulator.apiVersion }),
        elsewhere,
      ),
  },
  'openai OpenAI on /openai/v1: client.get/post with an absolute URL': {
    requests: 2,
    send: (auth, emulator, elsewhere) =>
      openaiClientCalls(createOpenAIForAzureV1(clientOptions(auth, emulator)), elsewhere),
  },
  'LangChain AzureChatOpenAI: its openai client with an absolute URL': {
    requests: 2,
    send: (auth, emulator, elsewhere) =>
      langchainCalls(
        createAzureChatOpenAI({
          ...langchainOptions(auth, emulator),
          apiVersion: emulator.apiVersion,
          deployment: emulator.deployments.chat,
        }),
        elsewhere,
      ),
  },
  'LangChain ChatOpenAI on /openai/v1: its openai client with an absolute URL': {
    requests: 2,
    send: (auth, emulator, elsewhere) =>
      langchainCalls(
        createChatOpenAIForAzureV1({ ...langchainOptions(auth, emulator), model: emulator.deployments.chat }),
        elsewhere,
      ),
  },
  'AI SDK: a 307 from the resource to another origin, caller headers set': {
    requests: 1,
    async send(auth, emulator, elsewhere) {
      emulator.faults.add('dataPlane', { status: 307, location: `${elsewhere}/redirected`, times: 1 });
      const azure = createAzureProvider({ auth, endpoint: emulator.openaiEndpoint, headers: callerHeaders });
      // The recorder answers 200 with a body that is not a chat answer: the SDK's parse error is expected.
      await generateText({ model: azure.chat(emulator.deployments.chat), prompt: 'hi', maxRetries: 0 }).catch(
        () => undefined,
      );
    },
  },
  'fetch adapter: another origin with caller-set credentials': {
    requests: 1,
    send: (auth, emulator, elsewhere) =>
      createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint })(`${elsewhere}/plain`, {
        headers: { ...callerHeaders, authorization: 'Bearer caller-canary-token', 'api-key': 'caller-canary-key' },
      }),
  },
};

describe('R15: a request for another origin leaves without any credential, whoever set it', () => {
  let emulator: Emulator;
  let elsewhere: RecordingServer;
  beforeAll(async () => {
    [emulator, elsewhere] = await Promise.all([startEmulator(), startRecordingServer()]);
  });
  afterAll(async () => {
    await Promise.all([emulator.close(), elsewhere.close()]);
  });

  for (const [path, { requests, send }] of Object.entries(SENDERS)) {
    for (const credential of ['apiKey', 'token'] as const satisfies Credential[]) {
      it(`${path}, ${credential === 'apiKey' ? 'API key' : 'bearer token'}`, async () => {
        const auth = createAuth(
          credential === 'apiKey' ? { kind: 'apiKey', key: emulator.apiKey } : msalSecret(emulator),
        );
        const secret = credential === 'apiKey' ? emulator.apiKey : await auth.getToken();
        const before = elsewhere.requests.length;
        await send(auth, emulator, elsewhere.url);
        const arrived = elsewhere.requests.slice(before);
        // The positive side first: the requests reached the other origin.
        expect(arrived).toHaveLength(requests);
        const received = arrived
          .map((r) => `${r.method} ${r.path}\n${JSON.stringify(r.headers)}\n${r.body}`)
          .join('\n');
        expect(received.split(secret).length - 1).toBe(0);
        expect(received).not.toContain('canary');
        const withCredential = arrived.filter((r) => CREDENTIAL_HEADERS.some((name) => r.headers[name] !== undefined));
        expect(withCredential).toHaveLength(0);
        recordFigure({
          id: 'R15',
          check: `${path}, ${credential === 'apiKey' ? 'API key' : 'bearer token'}`,
          measured: `${arrived.length} of ${requests} requests arrived at the other origin; ${withCredential.length} carried an authorization, api-key, cookie or proxy-authorization header; 0 bytes of the ${credential === 'apiKey' ? 'key' : 'token'} or of the caller's canaries`,
        });
      });
    }
  }
});
