import { M as ManualClock } from './manualClock-DMvvQpXj.js';
import { E as Emulator, a as EmulatorEnvKind } from './emulatorApi-BKYX_Oi5.js';

/**
 * The slice of keyless's Auth the suite drives (structural: `createAuth` from `@keyless/core`
 * returns one). Declared here so this package does not depend on core.
 */
interface ConformanceAuth {
    getToken(): Promise<string>;
    getRequestHeaders(): Promise<Readonly<Record<string, string>>>;
    invalidate(token: string): boolean;
    on(listener: (event: {
        type: string;
    }) => void): () => void;
}
/** How one strategy is set up against the emulator. */
interface ConformanceCase<S = unknown> {
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
declare function describeStrategyConformance<S>(name: string, createAuth: (strategy: S, options: {
    clock: ManualClock;
}) => ConformanceAuth, conformance: ConformanceCase<S>): void;

export { type ConformanceAuth, type ConformanceCase, describeStrategyConformance };
