/**
 * Node's built-in modules, loaded the first time a feature needs one, never when core is
 * imported: `node:crypto` alone costs ~5 ms to load, and most processes use neither the shared
 * cache, nor certificates, nor on-behalf-of. `process.getBuiltinModule` is synchronous and has the
 * same answer in Node (20.16+), Bun and Deno.
 */
export function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}

/** `node:fs`, on first use (certificate and federated token files); see {@link nodeCrypto}. */
export function nodeFs(): typeof import('node:fs') {
  return process.getBuiltinModule('node:fs');
}
