import { describe, expect, it } from 'vitest';
import { resourceEndpoint } from '../src/http/resourceEndpoint.js';

describe('resourceEndpoint: the one endpoint rule of the adapters and keyless doctor', () => {
  it.each([
    ['https://my-resource.openai.azure.com', 'https://my-resource.openai.azure.com'],
    ['https://my-resource.openai.azure.com/', 'https://my-resource.openai.azure.com'],
    ['https://my-resource.cognitiveservices.azure.com/', 'https://my-resource.cognitiveservices.azure.com'],
    ['https://my-project.services.ai.azure.com', 'https://my-project.services.ai.azure.com'],
    ['https://gov-resource.openai.azure.us/', 'https://gov-resource.openai.azure.us'],
    ['https://cn-resource.openai.azure.cn', 'https://cn-resource.openai.azure.cn'],
    ['https://MY-RESOURCE.OpenAI.Azure.com', 'https://my-resource.openai.azure.com'],
    ['https://my-gateway.azure-api.net/team-a/', 'https://my-gateway.azure-api.net/team-a'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
  ])('accepts %s as %s', (given, expected) => {
    expect(resourceEndpoint('test', 'endpoint', given)).toBe(expected);
  });

  it.each([
    [
      'https://my-resource.openai.azure.com/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21',
      'https://my-resource.openai.azure.com',
    ],
    ['https://my-resource.openai.azure.com/openai/v1', 'https://my-resource.openai.azure.com'],
    ['https://my-resource.openai.azure.com/openai/v1/', 'https://my-resource.openai.azure.com'],
    ['https://my-resource.openai.azure.com/?api-version=2024-10-21', 'https://my-resource.openai.azure.com'],
    ['https://my-gateway.azure-api.net/team-a/openai/deployments/x', 'https://my-gateway.azure-api.net/team-a'],
  ])('refuses %s, giving %s to use instead', (given, corrected) => {
    expect(() => resourceEndpoint('createAzureOpenAI', 'endpoint', given)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID', message: expect.stringContaining(`Use ${corrected};`) }),
    );
  });

  it.each([
    ['plain http off loopback', 'http://my-resource.openai.azure.com'],
    ['no URL at all', 'my-resource'],
    ['an empty value', ''],
  ])('refuses %s', (_name, given) => {
    expect(() => resourceEndpoint('test', 'endpoint', given)).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
  });
});
