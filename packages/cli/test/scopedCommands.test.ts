import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// `npx keyless …` or `npx keyless-emulator` without a local install runs whatever npm serves
// under that unscoped name: every command users copy must name the scoped package.
const UNSCOPED = /\bnpx\s+(?:-[\w-]+\s+)*keyless(?:-emulator)?\b/;

describe('commands in the docs and messages name the scoped package', () => {
  const files = execFileSync('git', ['ls-files', '*.md', 'packages/*/src/*.ts', 'apps/*/src/*.ts'], {
    cwd: root,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((file) => file !== '' && !file.includes('node_modules'));

  it('reads the docs (the check has something to read)', () => {
    expect(files).toContain('packages/cli/README.md');
    expect(readFileSync(`${root}packages/cli/README.md`, 'utf8')).toMatch(/npx @keyless\/cli doctor/);
  });

  it('finds no unscoped npx command anywhere', () => {
    const offending = files.flatMap((file) =>
      readFileSync(`${root}${file}`, 'utf8')
        .split('\n')
        .flatMap((line, index) => (UNSCOPED.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(offending).toEqual([]);
  });

  it('would catch one', () => {
    expect(UNSCOPED.test('npx keyless doctor')).toBe(true);
    expect(UNSCOPED.test('npx --yes keyless-emulator')).toBe(true);
    expect(UNSCOPED.test('npx @keyless/cli doctor')).toBe(false);
  });
});
