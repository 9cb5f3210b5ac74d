import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const main = fileURLToPath(new URL('../dist/main.js', import.meta.url));

// `pnpm start` itself: every app with every strategy against the embedded emulator.
it('runs every sample app with every strategy and prints a green table', { timeout: 180_000 }, async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [main], {
    env: { PATH: process.env.PATH ?? '' },
    timeout: 170_000,
  });
  // 4 apps × 10 strategies, less service-to-service with an API key (its caller needs an identity)
  // and with the developer (its summarizer takes app-only callers).
  expect(stdout).toContain('All 38 runs passed.');
  const rows = stdout
    .split('\n')
    .filter((line) => /^\| (openai-chat|langchain-pipeline|ai-sdk-chat|service-to-service) /.test(line));
  expect(rows).toHaveLength(38);
  for (const row of rows) {
    const [, app, strategy, result, tokens, , , steps] = row.split('|').map((c) => c.trim());
    expect(result, `${app} with ${strategy}`).toBe('ok');
    // The service-to-service sample's two hops: the caller's token for the summarizer, and the
    // summarizer's own for Azure OpenAI.
    expect(Number(tokens)).toBe(strategy === 'apiKey' ? 0 : app === 'service-to-service' ? 2 : 1);
    // The openai sample's Responses and Realtime steps ran (the Realtime handshake included).
    if (app === 'openai-chat') expect(steps).toMatch(/Responses, Realtime$/);
  }
});
