import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = fileURLToPath(new URL('../dist/run.js', import.meta.url));

// `pnpm bench --quick`, the CI smoke: every scenario runs end to end. Only behaviour is asserted
// here (counts, failures); speed is reported as ratios in BENCHMARKS.md, never asserted.
it('runs every benchmark scenario in quick mode', { timeout: 240_000 }, async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [run, '--quick'], {
    env: { PATH: process.env.PATH ?? '' },
    timeout: 230_000,
    maxBuffer: 16 * 2 ** 20,
  });
  for (const title of [
    '## 1. Cache-hit cost',
    '## 2. Cold-start herd',
    '## 3. End-to-end overhead',
    '## 4. Import and first-token cost',
    '## 5. Soak',
    '## 1b. Cache-hit cost with OpenTelemetry',
    '## 3c. Where the client CPU goes',
    '## 3d. The same comparison in one process',
    '## 6. A fleet on a shared token cache',
    '## 4c. Managed identity off Azure',
    '## 7. Acting for users (on-behalf-of)',
  ]) {
    expect(stdout).toContain(title);
  }
  const herdRow = (client: string) =>
    stdout
      .split('\n')
      .find((line) => line.startsWith(`| ${client} |`))
      ?.split('|')[2]
      ?.trim();
  for (const client of [
    'keyless-openai',
    'keyless-langchain',
    'keyless-fetch',
    'keyless-managedIdentity-openai',
    'keyless-ai-sdk',
  ])
    expect(herdRow(client)).toBe('1');
  expect(herdRow('openai+naive(ManagedIdentityCredential)')).toBe('100');
  // Off Azure, keyless's managed identity says "not available here" (its IMDS probe), black-holed
  // IMDS included, rather than waiting for the token request's deadline.
  for (const mode of ['refused', 'black-holed']) {
    const offRow = stdout.split('\n').find((line) => line.startsWith(`| ${mode} | keyless managedIdentity |`));
    expect(offRow?.split('|')[4]?.trim()).toBe('CREDENTIAL_UNAVAILABLE');
  }
  // Paired throughput (with its A/A control) and the heap sampler ran every client without a failed request.
  const pairedRows = (stdout.split('## 3. End-to-end overhead')[1]?.split('\n## ')[0] ?? '')
    .split('\n')
    .filter((line) => line.includes(' → ') && !line.startsWith('| baseline → keyless'));
  expect(pairedRows).toHaveLength(7);
  // The finding quotes this run's process-history control and the one-process figures (3d).
  expect(stdout).toMatch(/it reads \d\.\d{3}× ± (\d\.\d{3}|NaN) against the same client in a plain process/);
  expect(stdout).toMatch(/the managedIdentity clients read \d\.\d{3}× ± \d\.\d{3} \(fetch\)/);
  // In one process, every client ran without a failed request.
  const oneProcessRows = (stdout.split('## 3d. The same comparison in one process')[1]?.split('\n## ')[0] ?? '')
    .split('\n')
    .filter((line) => line.includes(' → ') && !line.startsWith('| baseline → keyless'));
  expect(oneProcessRows).toHaveLength(4);
  for (const row of oneProcessRows) expect(row.split('|').at(-2)?.trim(), row).toBe('0');
  expect(stdout).not.toContain('not measured');
  for (const row of pairedRows) {
    expect(row.split('|').at(-2)?.trim(), row).toBe('0');
    expect(row, row).toMatch(/\d+\.\d KB \/ \d+\.\d KB/);
  }
  const importRow = stdout.split('\n').find((line) => line.startsWith('| @keyless/core + createAuth(apiKey) |'));
  expect(importRow?.split('|').at(-2)?.trim()).toBe('0'); // no @azure module loaded
  const soakRow = stdout
    .split('## 5. Soak')[1]
    ?.split('\n')
    .find((line) => line.startsWith('| @keyless/fetch, managedIdentity |'));
  expect(soakRow?.split('|')[3]?.trim()).toBe('0'); // auth failures
  // With an SDK registered, the one token request made one keyless.token.acquire span.
  const sdkRow = stdout.split('\n').find((line) => line.startsWith('| SDK registered'));
  expect(sdkRow?.split('|').at(-2)?.trim()).toBe('1');
  // A fleet starting together: one token request with the shared cache however it starts (warm,
  // connecting, through a slow connection, on a loaded machine), one each without.
  const fleetRow = (label: string) =>
    stdout
      .split('\n')
      .find((line) => line.startsWith(`| ${label} |`))
      ?.split('|')
      .map((cell) => cell.trim());
  for (const start of [
    'with the shared cache (Redis), connected before the start',
    'with the shared cache, connecting as they start',
    '… through a connection that takes 300 ms to open',
    '… while the machine runs a CPU and I/O load',
  ]) {
    expect(fleetRow(start)?.[3], start).toBe('1');
  }
  expect(fleetRow('each instance alone')?.[3]).toBe(fleetRow('each instance alone')?.[2]);
  // A second, cold process finds every tenant's token in Redis.
  expect(fleetRow('second process, cold (Redis holds every token)')?.[3]).toBe('0');
  // On behalf of users: one token request per user for a herd of each, every one held (within maxUsers).
  expect(fleetRow('5 × 20')?.[2]).toBe('keyless obo.forUser(assertion) per request');
  expect(fleetRow('5 × 20')?.[3]).toBe('5');
  expect(fleetRow('5 × 20')?.[4]).toBe('0');
  expect(fleetRow('keyless createOnBehalfOf (an Auth and its token per user)')?.[3]).toBe('200');
});
