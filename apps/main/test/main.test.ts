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
  // and with the developer (its summarizer takes app-only callers); and the summarizer acting for
  // two signed-in users with the 5 service-principal strategies.
  expect(stdout).toContain('All 43 runs passed.');
  const rows = stdout
    .split('\n')
    .filter((line) => /^\| (openai-chat|langchain-pipeline|ai-sdk-chat|service-to-service)[ ,]/.test(line));
  expect(rows).toHaveLength(43);
  for (const row of rows) {
    const [, app, strategy, result, tokens, , , steps] = row.split('|').map((c) => c.trim());
    expect(result, `${app} with ${strategy}`).toBe('ok');
    // The service-to-service sample's two hops: the caller's token for the summarizer, and the
    // summarizer's own for Azure OpenAI; acting for users, one on-behalf-of token per user.
    expect(Number(tokens)).toBe(strategy === 'apiKey' ? 0 : app?.startsWith('service-to-service') ? 2 : 1);
    if (app === 'service-to-service, for users') expect(steps).toMatch(/^on behalf of 2 users: 1 answered, 1 told/);
    // The openai sample's Responses and Realtime steps ran (the Realtime handshake included).
    if (app === 'openai-chat') expect(steps).toMatch(/Responses, Realtime$/);
  }
});
