import { type AuthOptions, createAuth, type Strategy } from '@keyless/core';
import { strategyFor } from '@keyless/test-suites';
import type { Emulator } from '@keyless/testing';

/** The service-principal strategy against the emulator (per-app msal cache: safe to create many). */
export function msalSecret(emulator: Emulator): Strategy {
  return strategyFor('msalSecret', emulator);
}

/** An auth over msalSecret, with options (a fake clock) and a list of its events. */
export function observedAuth(emulator: Emulator, options: AuthOptions = {}) {
  const auth = createAuth(msalSecret(emulator), options);
  const events: Array<{ type: string; at: number } & Record<string, unknown>> = [];
  auth.on((event) => events.push({ ...event, at: options.clock?.monotonic() ?? performance.now() }));
  return { auth, events };
}

/** A chat request through plain fetch with the given fetch function. */
export async function chatVia(fetcher: typeof fetch, emulator: Emulator, content = 'ping'): Promise<Response> {
  return fetcher(
    `${emulator.openaiEndpoint}/openai/deployments/${emulator.deployments.chat}/chat/completions?api-version=${emulator.apiVersion}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content }] }),
    },
  );
}
