import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../manualClock.js';
import { type Emulator, type EmulatorEnvKind, startEmulator } from '../startEmulator.js';

/**
 * The slice of keyless's Auth the suite drives (structural: `createAuth` from `@keyless/core`
 * returns one). Declared here so this package does not depend on core.
 */
export interface ConformanceAuth {
  getToken(): Promise<string>;
  getRequestHeaders(): Promise<Readonly<Record<string, string>>>;
  invalidate(token: string): boolean;
  on(listener: (event: { type: string }) => void): () => void;
}

/** Polls `condition` until it holds (every 10 ms, at most 10 s): for I/O another process does. */
async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 10_000) throw new Error('condition not reached within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** How one strategy is set up against the emulator. */
export interface ConformanceCase<S = unknown> {
  /**
   * The strategy (for your own TokenCredential: `{ kind: 'credential', credential }`, pointed at
   * the emulator).
   */
  strategy(emulator: Emulator): S;
  /**
   * The emulator's variables of this kind are set in process.env for the suite and restored after
   * it: for a strategy that reads its endpoint from the environment (managed identity, whose
   * library fixes it for the life of the process: one such suite per test file).
   */
  env?: EmulatorEnvKind | undefined;
  /** Which emulator counter counts this strategy's token requests. */
  endpoint: 'entra' | 'appService' | 'imds';
  /** Which fault target makes its token requests fail. */
  faultTarget: 'token' | 'appService' | 'imds';
  /** Values that must never appear in errors or events. */
  secrets(emulator: Emulator): string[];
}

// Under 5 minutes, so no library cache (msal treats such tokens as due) hides a refresh.
const LIFETIME_SECONDS = 240;

/**
 * The suite every token strategy passes, through its real library against the emulator: it gets a
 * token the data plane accepts, caches it (one request for 500 concurrent callers), refreshes it
 * before expiry, replaces it after invalidate(), surfaces failures typed and leaking nothing,
 * abandons a hung request at the deadline, and reports events without tokens. Run it on your own
 * `TokenCredential` (vitest):
 *
 * @example
 * import { createAuth, type Strategy } from '@keyless/core';
 * import { describeStrategyConformance } from '@keyless/testing/conformance';
 * describeStrategyConformance('my credential', createAuth, {
 *   strategy: (emulator): Strategy => ({ kind: 'credential', credential: new MyCredential(emulator.managedIdentity.endpoint) }),
 *   endpoint: 'appService', faultTarget: 'appService', secrets: () => [],
 * });
 */
export function describeStrategyConformance<S>(
  name: string,
  createAuth: (strategy: S, options: { clock: ManualClock }) => ConformanceAuth,
  conformance: ConformanceCase<S>,
): void {
  describe(`strategy conformance: ${name}`, () => {
    let emulator: Emulator;
    let clock: ManualClock;
    let auth: ConformanceAuth;
    let events: Array<{ type: string }>;
    const tokenRequests = () => emulator.counters.tokenRequests[conformance.endpoint];

    const saved = new Map<string, string | undefined>();
    beforeAll(async () => {
      emulator = await startEmulator({ tokenLifetimeSeconds: LIFETIME_SECONDS });
      if (conformance.env === undefined) return;
      for (const [variable, value] of Object.entries(emulator.env(conformance.env))) {
        saved.set(variable, process.env[variable]);
        process.env[variable] = value;
      }
    });
    afterAll(async () => {
      for (const [variable, value] of saved) {
        if (value === undefined) delete process.env[variable];
        else process.env[variable] = value;
      }
      await emulator.close();
    });
    beforeEach(() => {
      clock = new ManualClock();
      clock.setWall(Date.now());
      auth = createAuth(conformance.strategy(emulator), { clock });
      events = [];
      auth.on((event) => events.push(event));
      emulator.resetCounters();
      emulator.faults.clear();
    });

    const chat = async (headers: Record<string, string>) =>
      fetch(
        `${emulator.openaiEndpoint}/openai/deployments/${emulator.deployments.chat}/chat/completions?api-version=${emulator.apiVersion}`,
        {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ messages: [{ role: 'user', content: 'conformance' }] }),
        },
      );

    it('gets a token from the real library that the data plane accepts', async () => {
      const response = await chat(await auth.getRequestHeaders());
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ choices: [{ message: { content: 'Echo: conformance' } }] });
      expect(tokenRequests()).toBe(1);
      expect(emulator.counters.dataPlane.bearer).toBe(1);
    });

    it('caches the token, with one request for many concurrent callers', async () => {
      const tokens = await Promise.all(Array.from({ length: 500 }, () => auth.getToken()));
      expect(new Set(tokens).size).toBe(1);
      await auth.getToken();
      expect(tokenRequests()).toBe(1);
    });

    it('refreshes the token before it expires', async () => {
      const first = await auth.getToken();
      clock.advance((LIFETIME_SECONDS - 20) * 1000); // into the hard window: callers wait for the new token
      const second = await auth.getToken();
      expect(second).not.toBe(first);
      expect(tokenRequests()).toBe(2);
      expect((await chat(await auth.getRequestHeaders())).status).toBe(200);
    });

    it('fetches a new token after invalidate(), bypassing the library cache', async () => {
      const first = await auth.getToken();
      emulator.revokeTokens(first);
      expect((await chat({ authorization: `Bearer ${first}` })).status).toBe(401);
      expect(auth.invalidate(first)).toBe(true);
      const second = await auth.getToken();
      expect(second).not.toBe(first);
      expect((await chat({ authorization: `Bearer ${second}` })).status).toBe(200);
    });

    it('surfaces a token endpoint failure as a typed error that leaks nothing, and recovers', async () => {
      emulator.faults.add(conformance.faultTarget, { status: 400, times: 10 });
      const error = await auth.getToken().catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'KeylessError' });
      expect(['TOKEN_REQUEST_FAILED', 'CREDENTIAL_UNAVAILABLE']).toContain((error as { code: string }).code);
      const printed = [
        inspect(error, { depth: null }),
        JSON.stringify(error),
        String((error as Error).stack),
        JSON.stringify(events),
      ].join('\n');
      for (const secret of conformance.secrets(emulator)) expect(printed).not.toContain(secret);
      expect(printed).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/);
      emulator.faults.clear();
      expect((await chat(await auth.getRequestHeaders())).status).toBe(200);
    });

    it('abandons a token request the endpoint never answers at the deadline, then recovers', async () => {
      emulator.faults.add(conformance.faultTarget, { hang: true });
      const pending = auth.getToken().catch((e: unknown) => e);
      await until(() => emulator.counters.hungRequests === 1);
      clock.advance(30_000); // the default tokenRequestTimeoutMs
      expect(await pending).toMatchObject({ name: 'KeylessError', code: 'TOKEN_REQUEST_TIMEOUT' });
      expect((await chat(await auth.getRequestHeaders())).status).toBe(200);
    });

    it('reports events that carry no token', async () => {
      const token = await auth.getToken();
      auth.invalidate(token);
      await auth.getToken();
      expect(events.map((e) => e.type)).toEqual([
        'refresh-started',
        'token-acquired',
        'invalidated',
        'refresh-started',
        'token-acquired',
      ]);
      expect(JSON.stringify(events)).not.toContain(token);
    });
  });
}
