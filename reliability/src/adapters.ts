import type { RequestAuth } from '@keyless/core/adapter';
import { createOpenAIForAzureV1 } from '@keyless/openai';
import { adapters, type DriverOptions } from '@keyless/test-suites';
import type { Emulator } from '@keyless/testing';

/** One chat call through an adapter; rejects with the adapter's own error on failure. */
export type ChatCall = (content: string) => Promise<string>;

/** SDK options: the SDK's own defaults where a setting is not given. */
export type AdapterOptions = Pick<DriverOptions, 'maxRetries' | 'endpoint'>;

const retries = (options: AdapterOptions) =>
  options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries };

/**
 * The adapters, each reduced to "send one chat request": the drivers of @keyless/test-suites (one
 * driver per adapter, shared with the conformance suites), their chat call.
 */
export const ADAPTERS = Object.fromEntries(
  Object.entries(adapters).map(([name, make]) => [
    name,
    (auth: RequestAuth, emulator: Emulator, options: AdapterOptions = {}): ChatCall => {
      const driver = make(auth, emulator, options);
      return (content) => driver.chat(content);
    },
  ]),
) as Record<keyof typeof adapters, (auth: RequestAuth, emulator: Emulator, options?: AdapterOptions) => ChatCall>;

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
