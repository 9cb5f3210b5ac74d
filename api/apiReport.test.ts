import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The public API of every published package, as its built type declarations say it, checked in
// under api/. A change to it (an export added, removed or changed) fails here until the report is
// regenerated (UPDATE_API_REPORT=1 pnpm vitest run api) and the diff is reviewed with the change.
// Each entry point: a package's root, and core's second tier, `@keyless/core/adapter`.
const PACKAGES = [
  'core',
  'core/adapter',
  'openai',
  'langchain',
  'fetch',
  'ai-sdk',
  'redis',
  'testing',
  'testing/conformance',
  'testing/vitest',
  'cli',
];
const update = process.env.UPDATE_API_REPORT === '1';

describe('API report', () => {
  it.each(PACKAGES)('@keyless/%s matches api/%s.api.d.ts', (name) => {
    const [pkg, entry = 'index'] = name.split('/');
    const built = readFileSync(new URL(`../packages/${pkg}/dist/${entry}.d.ts`, import.meta.url), 'utf8');
    const report = new URL(`./${name.replace('/', '-')}.api.d.ts`, import.meta.url);
    if (update || !existsSync(report)) writeFileSync(report, built);
    expect(
      built,
      `the public API of @keyless/${name} changed: review it, then UPDATE_API_REPORT=1 pnpm vitest run api`,
    ).toBe(readFileSync(report, 'utf8'));
  });
});
