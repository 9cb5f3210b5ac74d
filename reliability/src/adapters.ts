import { createAzureProvider } from '@keyless/ai-sdk';
import type { RequestAuth } from '@keyless/core/adapter';
import { createAuthorizedFetch } from '@keyless/fetch';
import { createAzureChatOpenAI } from '@keyless/langchain';
import { createAzureOpenAI, createOpenAIForAzureV1 } from '@keyless/openai';
import type { Emulator } from '@keyless/testing';
import { generateText } from 'ai';

/** One chat call through an adapter; rejects with the adapter's own error on failure. */
export type ChatCall = (content: string) => Promise<string>;

/** SDK options: the SDK's own defaults where a setting is not given. */
export interface AdapterOptions {
  maxRetries?: number | undefined;
  /** Where the adapter sends its calls. Default the emulator's resource endpoint. */
  endpoint?: string | undefined;
}

const retries = (options: AdapterOptions) =>
  options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries };

/** The adapters, each reduced to "send one chat request", as their users call them. */
export const ADAPTERS: Record<
  'openai' | 'langchain' | 'fetch' | 'ai-sdk',
  (auth: RequestAuth, emulator: Emulator, options?: AdapterOptions) => ChatCall
> = {
  openai(auth, emulator, options = {}) {
    const client = createAzureOpenAI({
      auth,
      endpoint: options.endpoint ?? emulator.openaiEndpoint,
      apiVersion: emulator.apiVersion,
      ...retries(options),
    });
    return async (content) =>
      (
        await client.chat.completions.create({
          model: emulator.deployments.chat,
          messages: [{ role: 'user', content }],
        })
      ).choices[0]?.message.content ?? '';
  },
  langchain(auth, emulator, options = {}) {
    const model = createAzureChatOpenAI({
      auth,
      endpoint: options.endpoint ?? emulator.openaiEndpoint,
      apiVersion: emulator.apiVersion,
      deployment: emulator.deployments.chat,
      ...retries(options),
    });
    return async (content) => String((await model.invoke(content)).content);
  },
  'ai-sdk'(auth, emulator, options = {}) {
    const azure = createAzureProvider({ auth, endpoint: options.endpoint ?? emulator.openaiEndpoint });
    return async (content) =>
      (await generateText({ model: azure(emulator.deployments.chat), prompt: content, ...retries(options) })).text;
  },
  fetch(auth, emulator, options = {}) {
    const endpoint = options.endpoint ?? emulator.openaiEndpoint;
    const azureFetch = createAuthorizedFetch(auth, { origin: endpoint });
    return async (content) => {
      const response = await azureFetch(
        `${endpoint}/openai/deployments/${emulator.deployments.chat}/chat/completions?api-version=${emulator.apiVersion}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [{ role: 'user', content }] }),
        },
      );
      const text = await response.text();
      if (!response.ok) {
        // What a fetch user prints: the status and the error message of the JSON body.
        let message = text;
        try {
          message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
        } catch {
          // not JSON: the text as it is
        }
        throw Object.assign(new Error(`${response.status} ${message}`), {
          status: response.status,
          headers: response.headers,
        });
      }
      return (
        (JSON.parse(text) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content ?? ''
      );
    };
  },
};

/**
 * The `OpenAI` client on Azure's /openai/v1 path. Unlike `AzureOpenAI` (which sends `api-key`,
 * and so asks fetch for `redirect: 'manual'`), it leaves redirects to fetch: this is the SDK path
 * on which keyless itself follows a redirect.
 */
export function openaiV1Chat(auth: RequestAuth, emulator: Emulator, options: AdapterOptions = {}): ChatCall {
  const client = createOpenAIForAzureV1({ auth, endpoint: emulator.openaiEndpoint, ...retries(options) });
  return async (content) =>
    (
      await client.chat.completions.create({
        model: emulator.deployments.chat,
        messages: [{ role: 'user', content }],
      })
    ).choices[0]?.message.content ?? '';
}
