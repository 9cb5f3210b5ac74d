import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = new URL('../dist/index.js', import.meta.url).href;
const hooks = new URL('./fixtures/recordLoads.mjs', import.meta.url).href;

/** Runs `body` in a fresh node process and returns every module URL it resolved. */
function modulesLoadedBy(body: string): string[] {
  const log = join(mkdtempSync(join(tmpdir(), 'keyless-loads-')), 'loads.txt');
  const script = `import { register } from 'node:module'; register(${JSON.stringify(hooks)}); const core = await import(${JSON.stringify(dist)}); ${body}`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, KEYLESS_LOAD_LOG: log },
  });
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe('optional peers', () => {
  it('are not loaded by importing @keyless/core and using an API key', () => {
    const loaded = modulesLoadedBy(
      `await core.createAuth({ kind: 'apiKey', key: 'k'.repeat(32) }).getRequestHeaders();`,
    );
    expect(loaded.some((url) => url.includes(fileURLToPath(dist).split('/dist/')[0] ?? 'never'))).toBe(true);
    expect(loaded.filter((url) => url.includes('@azure'))).toEqual([]);
    // Nor a Node built-in: node:crypto, node:fs and node:http load with the features that use them.
    expect(loaded.filter((url) => url.startsWith('node:'))).toEqual([]);
    // Nor the token runtime (the token cache, the network client): a key needs none of it.
    expect(loaded.filter((url) => url.includes('tokenRuntime'))).toEqual([]);
  });

  it('are loaded when a strategy needs them (so the check above can fail)', () => {
    const loaded = modulesLoadedBy(`await core.createAuth({ kind: 'default' }).getToken().catch(() => {});`);
    expect(loaded.some((url) => url.includes('@azure/identity'))).toBe(true);
  });

  it('start loading when a strategy that needs them is built, before its first token', () => {
    // msal-node takes 110-170 ms to load: begun with the Auth, it is off the first request's path.
    const msal = modulesLoadedBy(`core.createAuth({ kind: 'managedIdentity' });`);
    expect(msal.some((url) => url.includes('@azure/msal-node'))).toBe(true);
    // And the token runtime with them, a file beside the engine.
    expect(msal.filter((url) => url.endsWith('/dist/tokenRuntime.js'))).toHaveLength(1);
    const identity = modulesLoadedBy(`core.createAuth({ kind: 'default' });`);
    expect(identity.some((url) => url.includes('@azure/identity'))).toBe(true);
  });

  it('name the package to install when missing', () => {
    // core's build, alone in a directory with no node_modules: the peers cannot be found.
    const alone = mkdtempSync(join(tmpdir(), 'keyless-no-peers-'));
    const from = fileURLToPath(new URL('../dist/', import.meta.url));
    for (const file of readdirSync(from).filter((name) => name.endsWith('.js'))) {
      copyFileSync(join(from, file), join(alone, file));
    }
    writeFileSync(join(alone, 'package.json'), '{"type":"module"}');
    const script = `const core = await import('./index.js');
      const strategies = [
        { kind: 'msalConfidentialClient', tenantId: '${'1'.repeat(8)}-1111-1111-1111-${'1'.repeat(12)}', clientId: 'app', clientSecret: 'not-a-real-secret' },
        { kind: 'default' },
      ];
      // Built and never used: the import each starts fails, and must not end the process.
      for (const strategy of strategies) core.createAuth(strategy);
      for (const strategy of strategies) {
        const error = await core.createAuth(strategy).getToken().catch((e) => e);
        console.log(error.code, error.message.split('\\n')[0]);
      }`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: alone }).toString();
    expect(output).toContain(
      'MISSING_PEER_DEPENDENCY msalConfidentialClient: the package @azure/msal-node is not installed',
    );
    expect(output).toContain('npm install @azure/msal-node');
    expect(output).toMatch(/MISSING_PEER_DEPENDENCY .*@azure\/identity is not installed/);
  });
});
