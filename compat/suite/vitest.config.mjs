// The compatibility cell's test run: one process per file (managed identity's endpoint is fixed
// per process in msal-node), the suites from the packed @keyless/test-suites.
export default {
  test: {
    include: ['*.test.mjs'],
    pool: 'forks',
    isolate: true,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
};
