import { createAuth } from '@keyless/core';
import { type Emulator, type RecordingServer, startEmulator, startRecordingServer } from '@keyless/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADAPTERS } from '../src/adapters.js';
import { recordFigure } from '../src/figures.js';
import { msalSecret } from '../src/setup.js';

const STATUSES = [302, 307, 308] as const;

describe('R4: a redirect to another origin never carries the key or the token', () => {
  let emulator: Emulator;
  let attacker: RecordingServer;
  beforeAll(async () => {
    [emulator, attacker] = await Promise.all([startEmulator(), startRecordingServer()]);
  });
  afterAll(async () => {
    await Promise.all([emulator.close(), attacker.close()]);
  });

  for (const adapter of Object.keys(ADAPTERS) as Array<keyof typeof ADAPTERS>) {
    for (const credential of ['apiKey', 'token'] as const) {
      it(`${adapter} with ${credential === 'apiKey' ? 'an API key' : 'a token'}`, async () => {
        const auth = createAuth(
          credential === 'apiKey' ? { kind: 'apiKey', key: emulator.apiKey } : msalSecret(emulator),
        );
        const canary = credential === 'apiKey' ? emulator.apiKey : await auth.getToken();
        const chat = ADAPTERS[adapter](auth, emulator, { maxRetries: 0 });
        const reached = attacker.requests.length;
        for (const status of STATUSES) {
          emulator.faults.add('dataPlane', {
            status,
            location: `${attacker.url}/openai/deployments/x/chat/completions?api-version=1`,
          });
          await chat(`redirect ${status}`).catch(() => undefined);
        }
        const received = attacker.text();
        const leakedBytes = received.split(canary).length - 1;
        expect(leakedBytes).toBe(0);
        expect(received).not.toMatch(/"(authorization|api-key)"/i);
        recordFigure({
          id: 'R4',
          check: `${adapter}, ${credential === 'apiKey' ? 'API key' : 'bearer token'}: 302/307/308 to another loopback origin`,
          measured: `${attacker.requests.length - reached} of 3 redirects followed to the other origin, 0 bytes of the ${credential === 'apiKey' ? 'key' : 'token'} and no auth header received there`,
        });
      });
    }
  }
});
