// A Cloudflare worker calling Azure OpenAI (the emulator) through keyless: bundled by esbuild from
// the packed tarballs and run by workerd (miniflare, nodejs_compat). Each path is one case; every
// answer is JSON { ok, answer | error }.
import { createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { createAzureOpenAI } from '@keyless/openai';

const cases = {
  async 'fetch-apiKey'(env) {
    const auth = createAuth({ kind: 'apiKey', key: env.AZURE_OPENAI_API_KEY });
    const azureFetch = createAuthorizedFetch(auth, { origin: env.AZURE_OPENAI_ENDPOINT });
    const response = await azureFetch(
      `${env.AZURE_OPENAI_ENDPOINT}/openai/deployments/${env.AZURE_OPENAI_DEPLOYMENT}/chat/completions?api-version=${env.OPENAI_API_VERSION}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'from a worker' }] }),
      },
    );
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return (await response.json()).choices[0].message.content;
  },
  async 'openai-apiKey'(env) {
    const client = createAzureOpenAI({
      auth: createAuth({ kind: 'apiKey', key: env.AZURE_OPENAI_API_KEY }),
      endpoint: env.AZURE_OPENAI_ENDPOINT,
      apiVersion: env.OPENAI_API_VERSION,
    });
    const answer = await client.chat.completions.create({
      model: env.AZURE_OPENAI_DEPLOYMENT,
      messages: [{ role: 'user', content: 'openai from a worker' }],
    });
    return answer.choices[0].message.content;
  },
  async 'fetch-msalSecret'(env) {
    const auth = createAuth({
      kind: 'msalConfidentialClient',
      tenantId: env.AZURE_TENANT_ID,
      clientId: env.AZURE_CLIENT_ID,
      clientSecret: env.AZURE_CLIENT_SECRET,
      authorityHost: env.AZURE_AUTHORITY_HOST,
      ca: env.CA_CERTIFICATE,
    });
    return `token of ${(await auth.getToken()).length} characters`;
  },
};

export default {
  async fetch(request, env) {
    const name = new URL(request.url).pathname.slice(1);
    try {
      return Response.json({ ok: true, answer: await cases[name](env) });
    } catch (error) {
      return Response.json({
        ok: false,
        error: String(error?.message ?? error)
          .split('\n')[0]
          .slice(0, 300),
      });
    }
  },
};
