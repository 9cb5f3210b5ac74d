// Run by w1WhatUsersSee.test.ts with @azure/msal-node made unresolvable: one chat call through
// each adapter with the SDK's default retries; prints what the user saw as JSON.
import { createAzureProvider } from '@keyless/ai-sdk';
import { authFromEnv } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { createAzureChatOpenAI } from '@keyless/langchain';
import { createAzureOpenAI } from '@keyless/openai';
import { generateText } from 'ai';

const env = process.env;
const endpoint = env.AZURE_OPENAI_ENDPOINT;
const deployment = env.AZURE_OPENAI_DEPLOYMENT;
const apiVersion = env.OPENAI_API_VERSION;

function counted() {
  const auth = authFromEnv({ env, ca: undefined });
  let attempts = 0;
  return {
    auth: {
      kind: auth.kind,
      invalidate: (token) => auth.invalidate(token),
      getRequestHeaders: (options) => {
        attempts += 1;
        return auth.getRequestHeaders(options);
      },
    },
    attempts: () => attempts,
  };
}

const calls = {
  openai: (auth) =>
    createAzureOpenAI({ auth, endpoint, apiVersion }).chat.completions.create({
      model: deployment,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  langchain: (auth) => createAzureChatOpenAI({ auth, endpoint, apiVersion, deployment }).invoke('hi'),
  'ai-sdk': (auth) => generateText({ model: createAzureProvider({ auth, endpoint })(deployment), prompt: 'hi' }),
  fetch: async (auth) => {
    const response = await createAuthorizedFetch(auth, { origin: endpoint })(
      `${endpoint}/openai/deployments/${deployment}/chat/completions?api-version=${apiVersion}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' },
    );
    if (!response.ok) throw new Error(`${response.status} ${(await response.json()).error.message}`);
  },
};

const rows = {};
for (const [name, call] of Object.entries(calls)) {
  const { auth, attempts } = counted();
  const started = performance.now();
  const outcome = await call(auth).then(
    () => ({ outcome: 'succeeded', message: '' }),
    (error) => ({ outcome: 'failed', message: error.message }),
  );
  rows[name] = { ...outcome, attempts: attempts(), tokenRequests: 0, ms: Math.round(performance.now() - started) };
}
process.stdout.write(JSON.stringify(rows));
