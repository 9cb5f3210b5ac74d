import type { Auth } from '@keyless/core';
import type { AzureOpenAI, OpenAI } from 'openai';
import { describe, expectTypeOf, it } from 'vitest';
import { type CreateAzureOpenAIOptions, createAzureOpenAI, createOpenAIForAzureV1 } from '../src/index.js';

declare const auth: Auth;

describe('@keyless/openai option types', () => {
  it('returns the SDK’s own clients', () => {
    expectTypeOf(createAzureOpenAI).returns.toEqualTypeOf<AzureOpenAI>();
    expectTypeOf(createOpenAIForAzureV1).returns.toEqualTypeOf<OpenAI>();
  });

  it('takes auth and endpoint, and passes the other SDK options through', () => {
    expectTypeOf({
      auth,
      endpoint: 'https://x.openai.azure.com',
      apiVersion: '2024-10-21',
      maxRetries: 3,
    }).toExtend<CreateAzureOpenAIOptions>();
  });

  it('leaves no way to pass a second credential beside auth', () => {
    expectTypeOf<CreateAzureOpenAIOptions>().not.toHaveProperty('apiKey');
    expectTypeOf<CreateAzureOpenAIOptions>().not.toHaveProperty('azureADTokenProvider');
    expectTypeOf<{ endpoint: string; apiVersion: string }>().not.toExtend<CreateAzureOpenAIOptions>();
  });
});
