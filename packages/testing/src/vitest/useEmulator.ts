import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { type Emulator, type EmulatorEnvKind, type EmulatorOptions, startEmulator } from '../startEmulator.js';

/** Options of {@link useEmulator}: the emulator's own, and what the harness does around each test. */
export interface UseEmulatorOptions extends EmulatorOptions {
  /** Sets this kind's variables in `process.env` for the file, and restores them after it. */
  env?: EmulatorEnvKind | undefined;
  /**
   * Before each test: counters and log zeroed, faults cleared, token settings back to how they
   * started. Default true.
   */
  reset?: boolean | undefined;
  /**
   * Wire invariants checked once the file's tests ran: no request carried both an api-key and a
   * bearer (`dataPlane.both`), no expired token reached the data plane. Default both true; a file
   * that sends expired tokens on purpose turns the second off.
   */
  invariants?: { oneAuthHeader?: boolean | undefined; noExpiredTokens?: boolean | undefined } | undefined;
}

/**
 * One harness for a vitest file: starts the emulator before the file's tests, resets it before
 * each, checks the wire invariants and closes it after, and sets and restores the environment. The
 * value returned stands for the running emulator (use it inside tests and hooks), so a test file
 * says only what it proves.
 *
 * @example
 * const emulator = useEmulator({ env: 'managedIdentity' });
 * it('answers', async () => { expect(emulator.counters.tokensIssued).toBe(0); });
 */
export function useEmulator(options: UseEmulatorOptions = {}): Emulator {
  const { env, reset = true, invariants = {}, ...emulatorOptions } = options;
  let running: Emulator | undefined;
  let started: Emulator['settings'] | undefined;
  const saved = new Map<string, string | undefined>();
  // Summed over the file: counters are zeroed before each test.
  const seen = { both: 0, expired: 0 };
  const tally = (emulator: Emulator) => {
    seen.both += emulator.counters.dataPlane.both;
    seen.expired += emulator.counters.expiredTokensReceived;
  };
  beforeAll(async () => {
    running = await startEmulator(emulatorOptions);
    started = { ...running.settings };
    if (env !== undefined) {
      for (const [name, value] of Object.entries(running.env(env))) {
        saved.set(name, process.env[name]);
        process.env[name] = value;
      }
    }
  });
  beforeEach(() => {
    if (!reset || running === undefined || started === undefined) return;
    tally(running);
    running.resetCounters();
    running.faults.clear();
    Object.assign(running.settings, started);
  });
  afterAll(async () => {
    const emulator = running;
    running = undefined;
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (emulator === undefined) return;
    tally(emulator);
    try {
      if (invariants.oneAuthHeader !== false) {
        expect(seen.both, 'requests that carried both an api-key and a bearer, in this file').toBe(0);
      }
      if (invariants.noExpiredTokens !== false) {
        expect(seen.expired, 'expired tokens the data plane received, in this file').toBe(0);
      }
    } finally {
      await emulator.close();
    }
  });
  return new Proxy({} as Emulator, {
    get(_target, property) {
      if (running === undefined) {
        throw new Error(
          `useEmulator: the emulator runs from beforeAll to afterAll of this file; read emulator.${String(property)} inside a test or hook.`,
        );
      }
      const value = Reflect.get(running, property, running);
      return typeof value === 'function' ? value.bind(running) : value;
    },
    set(_target, property, value) {
      if (running === undefined) throw new Error('useEmulator: the emulator is not running here.');
      return Reflect.set(running, property, value);
    },
  });
}
