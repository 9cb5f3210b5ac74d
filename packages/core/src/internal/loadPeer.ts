import { KeylessError } from '../errors.js';

/**
 * Imports an optional peer dependency when a strategy first needs it, so that importing
 * `@keyless/core` (or using an API key) loads no Azure SDK at all.
 */
export async function loadPeer<T>(name: '@azure/identity' | '@azure/msal-node', forStrategy: string): Promise<T> {
  try {
    // One literal import per peer, never a computed one: bundlers and runtimes that resolve
    // imports ahead of time (workerd's script mode) refuse `import(name)`.
    return (await (name === '@azure/identity' ? import('@azure/identity') : import('@azure/msal-node'))) as T;
  } catch (error) {
    if (isModuleNotFound(error)) {
      throw new KeylessError(
        'MISSING_PEER_DEPENDENCY',
        `${forStrategy}: the package ${name} is not installed. Install it next to @keyless/core (npm install ${name}).`,
        { cause: error },
      );
    }
    throw error;
  }
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
}
