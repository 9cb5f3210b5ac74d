import type * as RuntimeModule from '../tokenRuntime.js';

/** What `src/tokenRuntime.ts` exports: the token cache, the network client, the error explainers. */
export type TokenRuntime = typeof RuntimeModule;

let loading: Promise<TokenRuntime> | undefined;
let loaded: TokenRuntime | undefined;

/**
 * The token runtime, imported once per process. Called when a token strategy is created (the
 * import then runs beside the application's own start-up, as a peer's does: `preloadPeer`) and
 * awaited where a token is first needed. A failed import is tried again by the next caller.
 */
export function loadTokenRuntime(): Promise<TokenRuntime> {
  loading ??= import('../tokenRuntime.js').then(
    (module) => {
      // A CommonJS build's namespace holds its exports under `default` as well as by name.
      loaded = (module as TokenRuntime & { default?: TokenRuntime }).default ?? module;
      return loaded;
    },
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** Starts the import without waiting for it (a strategy that will need the runtime, at creation). */
export function preloadTokenRuntime(): void {
  loadTokenRuntime().catch(() => undefined);
}

/** The token runtime when it has loaded, else undefined: Auths made after that are built at once. */
export function loadedTokenRuntime(): TokenRuntime | undefined {
  return loaded;
}
