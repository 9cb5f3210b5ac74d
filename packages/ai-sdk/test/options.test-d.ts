import type { AzureOpenAIProvider } from '@ai-sdk/azure';
import { createAuth } from '@keyless/core';
import { describe, expectTypeOf, it } from 'vitest';
import { type CreateAzureProviderOptions, createAzureProvider } from '../src/index.js';

describe('createAzureProvider options', () => {
  it('returns the provider of @ai-sdk/azure itself', () => {
    const azure = createAzureProvider({
      auth: createAuth({ kind: 'managedIdentity' }),
      endpoint: 'https://x.openai.azure.com',
    });
    expectTypeOf(azure).toEqualTypeOf<AzureOpenAIProvider>();
  });

  it('takes no credential or URL of its own: keyless supplies them', () => {
    expectTypeOf<CreateAzureProviderOptions>().not.toHaveProperty('apiKey');
    expectTypeOf<CreateAzureProviderOptions>().not.toHaveProperty('tokenProvider');
    expectTypeOf<CreateAzureProviderOptions>().not.toHaveProperty('baseURL');
    expectTypeOf<CreateAzureProviderOptions>().toHaveProperty('useDeploymentBasedUrls');
  });
});
