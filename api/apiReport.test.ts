import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The public API of every published package, as its built type declarations say it, checked in
// under api/. A change to it (an export added, removed or changed) fails here until the report is
// regenerated (UPDATE_API_REPORT=1 pnpm vitest run api) and the diff is reviewed with the change.
const PACKAGES = ['core', 'openai', 'langchain', 'fetch', 'ai-sdk', 'redis', 'testing', 'cli'];
const update = process.env.UPDATE_API_REPORT === '1';

describe('API report', () => {
  it.each(PACKAGES)('@keyless/%s matches api/%s.api.d.ts', (name) => {
    const built = readFileSync(new URL(`../packages/${name}/dist/index.d.ts`, import.meta.url), 'utf8');
    const report = new URL(`./${name}.api.d.ts`, import.meta.url);
    if (update || !existsSync(report)) writeFileSync(report, built);
    expect(
      built,
      `the public API of @keyless/${name} changed: review it, then UPDATE_API_REPORT=1 pnpm vitest run api`,
    ).toBe(readFileSync(report, 'utf8'));
  });
});
