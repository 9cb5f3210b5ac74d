import { type Auth, createAuth } from '@keyless/core';
import type { RequestAuth } from '@keyless/core/adapter';
import {
  type Emulator,
  type EmulatorEnvKind,
  embed,
  limitConcurrency,
  type RecordingServer,
  startRecordingServer,
} from '@keyless/testing';
import { useEmulator } from '@keyless/testing/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { principalFor, strategyFor, tokenRequests } from './strategyFor.js';

/** One adapter, driven the way its users drive it. Every call rejects on a non-2xx answer. */
export interface AdapterUnderTest {
  chat(content: string): Promise<string>;
  stream(content: string): Promise<string>;
  embed(texts: string[]): Promise<number[][]>;
}

/** How a driver builds its client; everything not given is the SDK's own default. */
export interface DriverOptions {
  /** The fetch under the adapter (a concurrency limit, say). Default globalThis.fetch. */
  fetch?: typeof fetch | undefined;
  /** Where calls go. Default the emulator's resource endpoint (its Foundry project's, a gateway's…). */
  endpoint?: string | undefined;
  /** The SDK's own retries. Default the SDK's default, as a user who sets nothing gets. */
  maxRetries?: number | undefined;
}

/**
 * Builds the adapter's client(s) for an auth and an emulator, as its users build them: the one
 * driver of each adapter, shared by the conformance suites, the reliability tests and the bench.
 */
export type MakeAdapter = (auth: RequestAuth, emulator: Emulator, options?: DriverOptions) => AdapterUnderTest;

// Concurrent cold requests per strategy kind. The 10,000 case runs once per adapter
// (describeColdHerd): through an SDK on this 2-core machine it takes ~15 s.
const HERD = 1_000;

/**
 * The suite every adapter passes for every strategy kind, with the real SDK against the emulator:
 * chat, streaming and embeddings work; a cold herd makes one token request; a revoked token costs
 * one refresh and one retry; a missing role is explained and never retried; credentials never
 * follow a redirect to another origin; an ambient AZURE_OPENAI_API_KEY changes nothing; and every
 * request carries exactly one auth header.
 */
export function describeAdapterConformance(adapter: string, kind: EmulatorEnvKind, make: MakeAdapter): void {
  describe(`${adapter} adapter with ${kind}`, () => {
    const emulator = useEmulator({ env: kind });
    let recorder: RecordingServer;
    let client: AdapterUnderTest;
    let auth: Auth;
    const tokenKind = kind !== 'apiKey';
    const redirectsServed = () =>
      emulator.log.filter((entry) => entry.endpoint === 'dataPlane' && entry.status === 307).length;

    beforeAll(async () => {
      recorder = await startRecordingServer();
    });
    afterAll(async () => {
      await recorder.close();
    });
    beforeEach(() => {
      process.env.AZURE_OPENAI_API_KEY = 'ambient-canary-key-from-the-environment';
      auth = createAuth(strategyFor(kind, emulator));
      client = make(auth, emulator);
    });

    // First: managed identity's token cache in msal-node is process-wide, so only the first test
    // of a file is truly cold.
    it(`makes ${tokenKind ? 'one token request' : 'no token request'} for ${HERD} concurrent cold requests`, async () => {
      const answers = await Promise.all(Array.from({ length: HERD }, (_, i) => client.chat(`herd ${i % 10}`)));
      expect(answers.filter((a) => a.startsWith('Echo: herd'))).toHaveLength(HERD);
      expect(tokenRequests(emulator)).toBe(tokenKind ? 1 : 0);
    });

    it('answers chat, streaming and embeddings', async () => {
      expect(await client.chat('hello keyless')).toBe('Echo: hello keyless');
      expect(await client.stream('streamed words arrive')).toBe('Echo: streamed words arrive');
      const vectors = await client.embed(['alpha', 'beta']);
      expect(vectors).toHaveLength(2);
      expect(vectors[0]?.[0]).toBeCloseTo(embed('alpha')[0] ?? Number.NaN, 5);
      // LangChain sends one embeddings request per text on Azure (batch size 1): 3 or 4 calls.
      const calls = emulator.log.filter((entry) => entry.endpoint === 'dataPlane');
      expect(calls.length).toBeGreaterThanOrEqual(3);
      expect(calls.every((entry) => entry.auth === (tokenKind ? 'bearer' : 'api-key'))).toBe(true);
    });

    it.skipIf(!tokenKind)('explains a missing role and does not retry', async () => {
      const oid = principalFor(kind, emulator) ?? '';
      await client.chat('warm');
      const before = { tokens: tokenRequests(emulator), calls: emulator.counters.dataPlane.bearer };
      emulator.removeRole(oid);
      try {
        const error = await client.chat('denied').then(
          () => undefined,
          (e: unknown) => e as Error,
        );
        expect(error?.message).toContain('Cognitive Services OpenAI User');
        expect(error?.message).toContain(oid);
        expect(error?.message).toContain('az role assignment create');
        expect(tokenRequests(emulator) - before.tokens).toBe(0);
        expect(emulator.counters.dataPlane.bearer - before.calls).toBe(1);
      } finally {
        emulator.grantRole(oid);
      }
    });

    it('sends no credential to another origin when redirected', async () => {
      const token = tokenKind ? await auth.getToken() : emulator.apiKey;
      emulator.faults.add('dataPlane', { status: 307, location: `${recorder.url}/openai/steal`, times: 3 });
      const before = { redirects: redirectsServed(), recorded: recorder.requests.length };
      await client.chat('redirected').catch(() => undefined);
      // The request was made and redirected (so the absences below say something). Whether it
      // reached the other origin depends on the SDK: AzureOpenAI (and LangChain over it) asks
      // fetch for `redirect: 'manual'` and gets the 307; the others are followed by keyless.
      expect(redirectsServed() - before.redirects).toBeGreaterThan(0);
      const followed = recorder.requests.slice(before.recorded).map((request) => request.path);
      expect(followed.every((path) => path === '/openai/steal')).toBe(true);
      const received = recorder.text();
      expect(received).not.toContain(token);
      expect(received).not.toContain(emulator.apiKey);
      expect(received).not.toMatch(/authorization|api-key/i);
      expect(received).not.toMatch(/eyJ[\w-]{10,}\./);
    });
    // Last: it revokes every token, and DefaultAzureCredential's cache keeps serving its copy.
    it.skipIf(!tokenKind)('answers a revoked token with exactly one refresh and one retry', async () => {
      await client.chat('before');
      const before = { calls: emulator.counters.dataPlane.bearer, refreshes: 0 };
      auth.on((event) => {
        if (event.type === 'refresh-started') before.refreshes += 1;
      });
      emulator.revokeTokens();
      if (kind === 'default') {
        // @azure/identity offers no way to bypass its managed-identity cache: keyless refreshes
        // once, retries once, and explains instead of looping (see the core README).
        await expect(client.chat('after revoke')).rejects.toThrow(/rejected the token even after a refresh/);
      } else {
        expect(await client.chat('after revoke')).toBe('Echo: after revoke');
      }
      expect(before.refreshes).toBe(1);
      expect(emulator.counters.dataPlane.bearer - before.calls).toBe(2);
    });
  });
}

/** 10,000 (or `size`) concurrent cold requests through the adapter make exactly one token request. */
export function describeColdHerd(adapter: string, kind: EmulatorEnvKind, make: MakeAdapter, size = 10_000): void {
  describe(`${adapter} adapter cold herd with ${kind}`, () => {
    const emulator = useEmulator({ env: kind });

    it(`makes one token request for ${size} concurrent cold requests`, { timeout: 180_000 }, async () => {
      const client = make(createAuth(strategyFor(kind, emulator)), emulator, { fetch: limitConcurrency(256) });
      const answers = await Promise.all(Array.from({ length: size }, (_, i) => client.chat(`herd ${i % 10}`)));
      expect(answers.filter((a) => a.startsWith('Echo: herd'))).toHaveLength(size);
      expect(tokenRequests(emulator)).toBe(1);
      expect(emulator.counters.dataPlane.bearer).toBe(size);
    });
  });
}
