import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPeer } from '../src/internal/loadPeer.js';

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
  });

  it('are loaded when a strategy needs them (so the check above can fail)', () => {
    const loaded = modulesLoadedBy(`await core.createAuth({ kind: 'default' }).getToken().catch(() => {});`);
    expect(loaded.some((url) => url.includes('@azure/identity'))).toBe(true);
  });

  it('name the package to install when missing', async () => {
    await expect(loadPeer('@azure/not-installed' as '@azure/identity', 'test')).rejects.toMatchObject({
      code: 'MISSING_PEER_DEPENDENCY',
      message: expect.stringContaining('npm install @azure/not-installed'),
    });
  });
});
