import { createAuth } from '@keyless/core';
import { type Emulator, type RecordingServer, startEmulator, startRecordingServer } from '@keyless/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS, type ChatCall, openaiV1Chat } from '../src/adapters.js';
import { recordFigure } from '../src/figures.js';
import { msalSecret } from '../src/setup.js';

const STATUSES = [302, 307, 308] as const;

type Credential = 'apiKey' | 'token';

// Who follows a redirect differs by client: openai's AzureOpenAI asks fetch for
// `redirect: 'manual'` whenever the SDK itself sets `api-key` (with the apiKey strategy; LangChain,
// built on it, always, as keyless gives it a placeholder key), so the 3xx comes back to the SDK
// and nobody follows it; with a token AzureOpenAI sets Authorization, and like the OpenAI client
// on /openai/v1 and plain fetch leaves redirects to fetch, so keyless follows them itself. Every
// row counts what reached the other origin, and would show the credential there if it leaked.
const CLIENTS: Record<
  string,
  { follows: (credential: Credential) => 'keyless' | 'nobody'; make: (typeof ADAPTERS)['openai'] }
> = {
  'openai AzureOpenAI': { follows: (c) => (c === 'apiKey' ? 'nobody' : 'keyless'), make: ADAPTERS.openai },
  langchain: { follows: () => 'nobody', make: ADAPTERS.langchain },
  'openai OpenAI on /openai/v1': { follows: () => 'keyless', make: openaiV1Chat },
  fetch: { follows: () => 'keyless', make: ADAPTERS.fetch },
};

describe('R4: a redirect to another origin never carries the key or the token', () => {
  let emulator: Emulator;
  let attacker: RecordingServer;
  beforeAll(async () => {
    [emulator, attacker] = await Promise.all([startEmulator(), startRecordingServer()]);
  });
  afterAll(async () => {
    await Promise.all([emulator.close(), attacker.close()]);
  });

  for (const [client, { follows: followsFor, make }] of Object.entries(CLIENTS)) {
    for (const credential of ['apiKey', 'token'] as const) {
      const follows = followsFor(credential);
      it(`${client} with ${credential === 'apiKey' ? 'an API key' : 'a token'}`, async () => {
        const auth = createAuth(
          credential === 'apiKey' ? { kind: 'apiKey', key: emulator.apiKey } : msalSecret(emulator),
        );
        const canary = credential === 'apiKey' ? emulator.apiKey : await auth.getToken();
        const chat: ChatCall = make(auth, emulator, { maxRetries: 0 });
        const reached = attacker.requests.length;
        for (const status of STATUSES) {
          emulator.faults.add('dataPlane', {
            status,
            location: `${attacker.url}/openai/deployments/x/chat/completions?api-version=1`,
          });
          await chat(`redirect ${status}`).catch(() => undefined);
        }
        const followed = attacker.requests.length - reached;
        const received = attacker.text();
        expect(received.split(canary).length - 1).toBe(0);
        expect(received).not.toMatch(/"(authorization|api-key)"/i);
        // Each client behaves as its row says: if this changed, the row would no longer test what it claims.
        expect(followed).toBe(follows === 'keyless' ? STATUSES.length : 0);
        recordFigure({
          id: 'R4',
          check: `${client}, ${credential === 'apiKey' ? 'API key' : 'bearer token'}: 302/307/308 to another loopback origin`,
          measured:
            follows === 'keyless'
              ? `keyless followed ${followed} of 3 redirects to the other origin: 0 bytes of the ${credential === 'apiKey' ? 'key' : 'token'} and no auth header arrived there`
              : `the SDK asks for redirect: "manual" (it sets api-key itself), so ${followed} of 3 redirects were followed by anyone; the 3xx reached the SDK as an error`,
        });
      });
    }
  }
});
