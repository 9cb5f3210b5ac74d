// The README's recipe as a Bun or Deno user runs it: `keyless-emulator` started in a Node process
// (as a CI step would start it), its variables for msalSecret written to a file, then authFromEnv
// with @keyless/openai and @keyless/fetch in this runtime. Exits non-zero on any difference.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const envFile = join(mkdtempSync(join(tmpdir(), 'keyless-recipe-')), 'emulator.env');
const emulator = spawn(
  process.env.KEYLESS_NODE ?? 'node',
  ['node_modules/@keyless/testing/dist/cli.js', '--strategy', 'msalSecret', '--write-env', envFile],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
try {
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('keyless-emulator: no readiness line within 30 s')), 30_000);
    let out = '';
    emulator.stdout.on('data', (chunk) => {
      out += chunk;
      if (out.includes('keyless-emulator: ready ')) {
        clearTimeout(timer);
        resolve();
      }
    });
    emulator.once('exit', (code) => reject(new Error(`keyless-emulator exited ${code}`)));
  });
  const env = Object.fromEntries(
    readFileSync(envFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  assert.equal(env.KEYLESS_STRATEGY, 'msalConfidentialClient');
  const { authFromEnv } = await import('@keyless/core');
  const { createAzureOpenAI } = await import('@keyless/openai');
  const { createAuthorizedFetch } = await import('@keyless/fetch');
  const auth = authFromEnv({ env, ca: readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8') });
  const client = createAzureOpenAI({ auth, endpoint: env.AZURE_OPENAI_ENDPOINT, apiVersion: env.OPENAI_API_VERSION });
  const answer = await client.chat.completions.create({
    model: env.AZURE_OPENAI_DEPLOYMENT,
    messages: [{ role: 'user', content: 'Hi from the recipe' }],
  });
  assert.equal(answer.choices[0].message.content, 'Echo: Hi from the recipe');
  const authorizedFetch = createAuthorizedFetch(auth, { origin: env.AZURE_OPENAI_ENDPOINT });
  const response = await authorizedFetch(
    `${env.AZURE_OPENAI_ENDPOINT}/openai/deployments/${env.AZURE_OPENAI_DEPLOYMENT}/chat/completions?api-version=${env.OPENAI_API_VERSION}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'and fetch' }] }),
    },
  );
  assert.equal(response.status, 200);
  assert.equal((await response.json()).choices[0].message.content, 'Echo: and fetch');
  // One token for both clients: the same Auth.
  assert.equal(auth.status().tokenCached, true);
  console.log(`recipe: answered through @keyless/openai and @keyless/fetch (${auth.kind})`);
} finally {
  emulator.kill('SIGTERM');
}
