import type { Auth } from '@keyless/core';
import type { AzureChatOpenAI, AzureOpenAIEmbeddings } from '@langchain/openai';
import { describe, expectTypeOf, it } from 'vitest';
import { type CreateAzureChatOpenAIOptions, createAzureChatOpenAI, createAzureOpenAIEmbeddings } from '../src/index.js';

declare const auth: Auth;

describe('@keyless/langchain option types', () => {
  it('returns LangChain’s own classes', () => {
    expectTypeOf(createAzureChatOpenAI).returns.toEqualTypeOf<AzureChatOpenAI>();
    expectTypeOf(createAzureOpenAIEmbeddings).returns.toEqualTypeOf<AzureOpenAIEmbeddings>();
  });

  it('requires auth, endpoint, deployment and api-version, and passes model fields through', () => {
    expectTypeOf({
      auth,
      endpoint: 'https://x',
      deployment: 'd',
      apiVersion: 'v',
      temperature: 0,
    }).toExtend<CreateAzureChatOpenAIOptions>();
    expectTypeOf<{ auth: Auth; endpoint: string; apiVersion: string }>().not.toExtend<CreateAzureChatOpenAIOptions>();
  });

  it('leaves no way to pass a key or token provider beside auth', () => {
    expectTypeOf<CreateAzureChatOpenAIOptions>().not.toHaveProperty('azureOpenAIApiKey');
    expectTypeOf<CreateAzureChatOpenAIOptions>().not.toHaveProperty('azureADTokenProvider');
    expectTypeOf<CreateAzureChatOpenAIOptions>().not.toHaveProperty('apiKey');
  });
});
