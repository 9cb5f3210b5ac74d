import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url);
const dist = new URL('../dist/', import.meta.url);

describe('two tiers, one engine', () => {
  it("the built entries share their state: the root's createAuth registers what the kit's sdkCredential reads (ESM and CJS)", async () => {
    const core = await import(new URL('index.js', dist).href);
    const adapter = await import(new URL('adapter.js', dist).href);
    expect(adapter.sdkCredential(core.createAuth({ kind: 'apiKey', key: 'esm-key' }))).toBe('esm-key');
    const require = createRequire(import.meta.url);
    const coreCjs = require(new URL('index.cjs', dist).pathname);
    const adapterCjs = require(new URL('adapter.cjs', dist).pathname);
    expect(adapterCjs.sdkCredential(coreCjs.createAuth({ kind: 'apiKey', key: 'cjs-key' }))).toBe('cjs-key');
    // Each tier holds its own names: the kit is not in the root, the root not in the kit.
    expect(Object.keys(core)).toContain('createAuth');
    expect(Object.keys(core)).not.toContain('createAuthorizedFetch');
    expect(Object.keys(adapter)).toContain('createAuthorizedFetch');
    expect(Object.keys(adapter)).not.toContain('createAuth');
  });

  it('src/internal/ is exactly what no entry exports', () => {
    const entries = ['index.ts', 'adapter.ts'].map((file) => readFileSync(new URL(file, src), 'utf8'));
    const internal = readdirSync(new URL('internal/', src));
    expect(internal.length).toBeGreaterThan(5);
    for (const text of entries) expect(text).not.toMatch(/from '\.\/internal\//);
  });
});
