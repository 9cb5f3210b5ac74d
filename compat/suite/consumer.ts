// A user's TypeScript file: compiled against the packed packages under moduleResolution nodenext
// and bundler, with the types each package ships.

import { createAzureProvider } from '@keyless/ai-sdk';
import {
  type Auth,
  authFromEnv,
  createAuth,
  isKeylessError,
  type KeylessErrorCode,
  keylessErrorOf,
} from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { createAzureChatOpenAI } from '@keyless/langchain';
import { createAzureOpenAI } from '@keyless/openai';
import { type Emulator, startEmulator } from '@keyless/testing';

export async function consumer(emulator: Emulator): Promise<void> {
  const auth: Auth = createAuth({ kind: 'managedIdentity' }, { tokenRequestTimeoutMs: 10_000 });
  const fromEnv: Auth = authFromEnv();
  const client = createAzureOpenAI({ auth, endpoint: emulator.openaiEndpoint, apiVersion: emulator.apiVersion });
  const chat = createAzureChatOpenAI({
    auth: fromEnv,
    endpoint: emulator.openaiEndpoint,
    deployment: 'gpt-4o-mini',
    apiVersion: emulator.apiVersion,
  });
  const azureFetch: typeof fetch = createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint });
  const provider = createAzureProvider({ auth, endpoint: emulator.openaiEndpoint });
  provider('gpt-4o-mini');
  try {
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    await chat.invoke('hi');
    await azureFetch(emulator.openaiEndpoint);
  } catch (error) {
    const code: KeylessErrorCode | undefined = keylessErrorOf(error)?.code;
    if (isKeylessError(error) || code !== undefined) throw error;
  }
}

export const started: Promise<Emulator> = startEmulator();
