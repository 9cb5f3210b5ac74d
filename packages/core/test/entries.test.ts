import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const src = new URL('../src/', import.meta.url);
const dist = new URL('../dist/', import.meta.url);

describe('two tiers and a token runtime, one engine', () => {
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

  it('a token strategy runs on the token runtime, a file of its own over the same engine (ESM and CJS)', async () => {
    for (const [entry, runtime] of [
      ['index.js', 'tokenRuntime.js'],
      ['index.cjs', 'tokenRuntime.cjs'],
    ] as const) {
      const text = readFileSync(new URL(entry, dist), 'utf8');
      // The engine's one file of its own is the runtime, imported when a token strategy is made.
      expect(text.match(/import\("\.\/[^"]*"\)/g)).toEqual([`import("./${runtime}")`]);
      // The runtime bundles no engine module again: it reads them from the engine's one copy.
      const own = readFileSync(new URL(runtime, dist), 'utf8').match(/(?:from |require\()"\.\/[^"]*"/g) ?? [];
      expect(own.length).toBeGreaterThan(0);
      expect(new Set(own.map((found) => found.replace(/^(from |require\()/, '')))).toEqual(new Set([`"./${entry}"`]));
    }
    const failing = { getToken: () => Promise.reject(new Error('refused: no token here')) };
    const core = await import(new URL('index.js', dist).href);
    const esm = await core
      .createAuth({ kind: 'credential', credential: failing })
      .getToken()
      .catch((e: unknown) => e);
    // The runtime's errors are the engine's class: instanceof holds across the two files.
    expect(esm).toBeInstanceOf(core.KeylessError);
    expect(esm).toMatchObject({ code: 'TOKEN_REQUEST_FAILED', message: expect.stringContaining('refused') });
    const coreCjs = createRequire(import.meta.url)(new URL('index.cjs', dist).pathname);
    const cjs = await coreCjs
      .createAuth({ kind: 'credential', credential: failing })
      .getToken()
      .catch((e: unknown) => e);
    expect(cjs).toBeInstanceOf(coreCjs.KeylessError);
    expect(cjs).toMatchObject({ code: 'TOKEN_REQUEST_FAILED' });
  });

  it("the root's runtime is one module: its declared API plus the shared modules the kit reads from it", async () => {
    const js = readFileSync(new URL('index.js', dist), 'utf8');
    // One module: the engine imports no file of its own statically (no chunk), only packages and
    // built-ins; the token runtime comes by import() when a token strategy is made.
    expect(js.match(/from\s+"\.\.?\/[^"]*"/g) ?? []).toEqual([]);
    const declarations = readFileSync(new URL('index.d.ts', dist), 'utf8');
    const block = /export \{([^}]*)\};\s*$/.exec(declarations)?.[1] ?? '';
    const declaredValues = block
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '' && !name.startsWith('type '));
    const kit = readFileSync(new URL('adapter.js', dist), 'utf8');
    const kitImports = [...kit.matchAll(/import \{([^}]*)\} from "\.\/index\.js"/g)].flatMap((match) =>
      (match[1] ?? '').split(',').map((name) => name.trim().split(/\s+as\s+/)[0] ?? ''),
    );
    expect(declaredValues).toContain('createAuth');
    expect(kitImports).toContain('readyHeaders');
    const core = await import(new URL('index.js', dist).href);
    const runtime = Object.keys(core);
    for (const name of [...declaredValues, ...kitImports]) expect(runtime).toContain(name);
    // The rest rides along from the shared modules src/engine.ts lists (the kit reads them on
    // the runtime); they are not in the types, so no part of the public API, and nothing else is.
    const engine = readFileSync(new URL('engine.ts', src), 'utf8');
    const listed = [...engine.matchAll(/^export \* from '(\.\/[^']+)';$/gm)].map((match) => match[1] ?? '');
    expect(listed).toContain('./internal/readyHeaders.js');
    const shared = new Set<string>();
    for (const path of listed.filter((path) => path !== './index.js')) {
      for (const name of Object.keys(await import(new URL(path.replace(/\.js$/, '.ts'), src).href))) shared.add(name);
    }
    const extras = runtime.filter((name) => !declaredValues.includes(name));
    expect(extras).toContain('readyHeaders');
    for (const name of extras) expect(shared).toContain(name);
  });

  it('src/internal/ is exactly what no entry exports', () => {
    const entries = ['index.ts', 'adapter.ts'].map((file) => readFileSync(new URL(file, src), 'utf8'));
    const internal = readdirSync(new URL('internal/', src));
    expect(internal.length).toBeGreaterThan(5);
    for (const text of entries) expect(text).not.toMatch(/from '\.\/internal\//);
  });
});
