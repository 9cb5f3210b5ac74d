import { KeylessError } from '../errors.js';

type Peer = '@azure/identity' | '@azure/msal-node';

/** An import that failed, kept as a value: a started import must never become an unhandled rejection. */
class FailedImport {
  constructor(readonly error: unknown) {}
}

const imports = new Map<Peer, Promise<unknown>>();

/**
 * The peer's import, started once per process. One literal import per peer, never a computed
 * one (runtimes that resolve imports ahead of time, workerd's script mode, refuse `import(name)`),
 * each with its own .catch(): a bundler then leaves a peer that is not installed to the run-time
 * error of {@link loadPeer} instead of failing the build. A failed import is forgotten, so that
 * the next use tries again.
 */
function importOnce(name: Peer): Promise<unknown> {
  let started = imports.get(name);
  if (started === undefined) {
    const failed = (error: unknown): FailedImport => {
      imports.delete(name);
      return new FailedImport(error);
    };
    started =
      name === '@azure/identity' ? import('@azure/identity').catch(failed) : import('@azure/msal-node').catch(failed);
    imports.set(name, started);
  }
  return started;
}

/**
 * Starts importing a peer that a strategy just built will need, without waiting for it. Loading
 * msal-node takes 110-170 ms and @azure/identity 280-350 ms on a 2-core machine: done while the
 * application starts, it is neither on the first token's path nor run while the first requests
 * wait (a large module graph compiled then left those requests' code ~5-8% slower per request
 * for the process's life, in experiments paired as `pnpm bench` section 3 pairs its clients).
 * Its failure waits for {@link loadPeer}.
 */
export function preloadPeer(name: Peer): void {
  void importOnce(name);
}

/**
 * An optional peer dependency, awaited when a strategy first asks for a token (the import itself
 * starts when the strategy is built, see {@link preloadPeer}): importing `@keyless/core`, or
 * using an API key, loads no Azure SDK at all.
 */
export async function loadPeer<T>(name: Peer, forStrategy: string): Promise<T> {
  const loaded = await importOnce(name);
  if (!(loaded instanceof FailedImport)) return loaded as T;
  if (isModuleNotFound(loaded.error)) {
    throw new KeylessError(
      'MISSING_PEER_DEPENDENCY',
      `${forStrategy}: the package ${name} is not installed. Install it next to @keyless/core (npm install ${name}).`,
      { cause: loaded.error },
    );
  }
  throw loaded.error;
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
