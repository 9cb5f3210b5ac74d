import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useEmulator } from '@keyless/testing/vitest';
import { expect, it } from 'vitest';

const emulator = useEmulator({ reset: false });

// DefaultAzureCredential reads the environment itself, and trusts the emulator's CA only through
// NODE_EXTRA_CA_CERTS, set before the process starts: a child process with what AKS injects.
it('the default strategy (DefaultAzureCredential) signs in with the workload-identity environment', {
  timeout: 30_000,
}, async () => {
  const script = [
    "import { authFromEnv } from '@keyless/core';",
    'const auth = authFromEnv();',
    'const token = await auth.getToken();',
    'console.log(JSON.stringify({ kind: auth.kind, token: token.startsWith("eyJ") }));',
  ].join('\n');
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: { PATH: process.env.PATH ?? '', ...emulator.env('workloadIdentity'), KEYLESS_STRATEGY: 'default' },
        timeout: 25_000,
      },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
  expect(JSON.parse(output.trim().split('\n').at(-1) ?? '{}')).toEqual({ kind: 'default', token: true });
  expect(emulator.counters.federatedAssertions).toEqual({ accepted: 1, rejected: 0 });
  expect(emulator.counters.tokenRequests.entra).toBe(1);
});
