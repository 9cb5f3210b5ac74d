import { defineConfig } from 'vitest/config';

// One run for the whole workspace. Every test file gets its own process (forks + isolate):
// msal-node keeps the managed-identity source in a static field for the life of a process.
export default defineConfig({
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'reliability/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'api/**/*.test.ts',
    ],
    pool: 'forks',
    isolate: true,
    testTimeout: 30_000,
    hookTimeout: 30_000,
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts'],
      tsconfig: './tsconfig.test.json',
    },
  },
});
