import type { RequestAuth } from '@keyless/core';
import { createAuthenticatedFetch } from '@keyless/fetch';
import { createAzureChatOpenAI } from '@keyless/langchain';
import { createAzureOpenAI } from '@keyless/openai';
import type { Emulator } from '@keyless/testing';

/** One chat call through an adapter; rejects with the adapter's own error on failure. */
export type ChatCall = (content: string) => Promise<string>;

/** The three adapters, each reduced to "send one chat request", as their users call them. */
export const ADAPTERS: Record<
  'openai' | 'langchain' | 'fetch',
  (auth: RequestAuth, emulator: Emulator, options?: { maxRetries?: number }) => ChatCall
> = {
  openai(auth, emulator, options = {}) {
    const client = createAzureOpenAI({
      auth,
      endpoint: emulator.openaiEndpoint,
      apiVersion: emulator.apiVersion,
      maxRetries: options.maxRetries ?? 2,
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
      endpoint: emulator.openaiEndpoint,
      apiVersion: emulator.apiVersion,
      deployment: emulator.deployments.chat,
      maxRetries: options.maxRetries ?? 0,
    });
    return async (content) => String((await model.invoke(content)).content);
  },
  fetch(auth, emulator) {
    const azureFetch = createAuthenticatedFetch(auth, { origin: emulator.openaiEndpoint });
    return async (content) => {
      const response = await azureFetch(
        `${emulator.openaiEndpoint}/openai/deployments/${emulator.deployments.chat}/chat/completions?api-version=${emulator.apiVersion}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [{ role: 'user', content }] }),
        },
      );
      const text = await response.text();
      if (!response.ok)
        throw Object.assign(new Error(`${response.status} ${text}`), {
          status: response.status,
          headers: response.headers,
        });
      return (
        (JSON.parse(text) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content ?? ''
      );
    };
  },
};
