import { createAuth } from '@keyless/core';
import { describe, expect, it } from 'vitest';
import { createAzureChatOpenAI, createAzureOpenAIEmbeddings } from '../src/index.js';

const auth = createAuth({ kind: 'apiKey', key: 'k'.repeat(32) });
const endpoint = 'https://my-resource.openai.azure.com';

describe('LangChain factories name the setting the user passed', () => {
  it.each([
    ['deployment', { deployment: '', apiVersion: '2024-10-21' }],
    ['deployment', { deployment: undefined, apiVersion: '2024-10-21' }],
    ['apiVersion', { deployment: 'gpt-4o-mini', apiVersion: undefined }],
  ])('refuses a missing %s', (setting, given) => {
    for (const factory of [createAzureChatOpenAI, createAzureOpenAIEmbeddings]) {
      const make = () => factory({ auth, endpoint, ...(given as { deployment: string; apiVersion: string }) });
      expect(make).toThrow(
        expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(setting) }),
      );
      expect(make).not.toThrow(/azureOpenAIApiInstanceName|azureOpenAIApiKey/);
    }
  });

  it('refuses an endpoint pasted with the API path, giving the one to use', () => {
    expect(() =>
      createAzureChatOpenAI({
        auth,
        endpoint: `${endpoint}/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21`,
        deployment: 'gpt-4o-mini',
        apiVersion: '2024-10-21',
      }),
    ).toThrow(`Use ${endpoint};`);
  });
});
