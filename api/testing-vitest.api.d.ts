import { b as EmulatorOptions, a as EmulatorEnvKind, E as Emulator } from './emulatorApi-BKYX_Oi5.js';

/** Options of {@link useEmulator}: the emulator's own, and what the harness does around each test. */
interface UseEmulatorOptions extends EmulatorOptions {
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
    invariants?: {
        oneAuthHeader?: boolean | undefined;
        noExpiredTokens?: boolean | undefined;
    } | undefined;
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
declare function useEmulator(options?: UseEmulatorOptions): Emulator;

export { type UseEmulatorOptions, useEmulator };
