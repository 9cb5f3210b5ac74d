import type { AzureOpenAI } from 'openai';

// What section 3's workers share: the emulator's settings (handed down by the parent), the
// baselines' static token, and the two ways a client sends a chat completion.

/** What the emulator process reports, as the parent passes it in KEYLESS_BENCH_EMULATOR. */
export interface EmulatorSettings {
  openaiEndpoint: string;
  apiKey: string;
  apiVersion: string;
  deployment: string;
  env: Record<string, string>;
}

/** The emulator's settings, with this process's environment set for managed identity. */
export function emulatorSettings(): EmulatorSettings {
  const settings = JSON.parse(process.env.KEYLESS_BENCH_EMULATOR ?? '{}') as EmulatorSettings;
  Object.assign(process.env, settings.env);
  delete process.env.AZURE_OPENAI_API_KEY;
  return settings;
}

/** A token fetched once from the managed identity endpoint: the static baselines' bearer. */
export async function staticBearer(): Promise<string> {
  const response = await fetch(
    `${process.env.IDENTITY_ENDPOINT}?api-version=2019-08-01&resource=https%3A%2F%2Fcognitiveservices.azure.com`,
    { headers: { 'x-identity-header': process.env.IDENTITY_HEADER ?? '' } },
  );
  return ((await response.json()) as { access_token: string }).access_token;
}

/** One chat completion through a fetch, its body read; a non-2xx answer is a failure. */
export function chatPost(settings: EmulatorSettings, f: typeof fetch, headers: Record<string, string>) {
  const url = `${settings.openaiEndpoint}/openai/deployments/${settings.deployment}/chat/completions?api-version=${settings.apiVersion}`;
  const body = JSON.stringify({ messages: [{ role: 'user', content: 'throughput' }] });
  return (): Promise<unknown> =>
    f(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body }).then(async (r) => {
      await r.arrayBuffer();
      if (!r.ok) throw new Error(String(r.status));
    });
}

/** One chat completion through the openai SDK. */
export function chatCompletion(settings: EmulatorSettings, client: AzureOpenAI) {
  const messages = [{ role: 'user' as const, content: 'throughput' }];
  return (): Promise<unknown> => client.chat.completions.create({ model: settings.deployment, messages });
}

/** The openai SDK client options every section 3 client shares. */
export function sdkOptions(settings: EmulatorSettings) {
  return { endpoint: settings.openaiEndpoint, apiVersion: settings.apiVersion, maxRetries: 0 };
}
