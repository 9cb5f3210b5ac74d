import { KeylessError } from '../errors.js';

/**
 * Imports an optional peer dependency when a strategy first needs it, so that importing
 * `@keyless/core` (or using an API key) loads no Azure SDK at all.
 */
export async function loadPeer<T>(name: '@azure/identity' | '@azure/msal-node', forStrategy: string): Promise<T> {
  const missing = (error: unknown): never => {
    if (isModuleNotFound(error)) {
      throw new KeylessError(
        'MISSING_PEER_DEPENDENCY',
        `${forStrategy}: the package ${name} is not installed. Install it next to @keyless/core (npm install ${name}).`,
        { cause: error },
      );
    }
    throw error;
  };
  // One literal import per peer, never a computed one (runtimes that resolve imports ahead of
  // time, workerd's script mode, refuse `import(name)`), each with its own .catch(): a bundler
  // then leaves a peer that is not installed to this run-time error instead of failing the build.
  return (await (name === '@azure/identity'
    ? import('@azure/identity').catch(missing)
    : import('@azure/msal-node').catch(missing))) as T;
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
