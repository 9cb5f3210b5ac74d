import { createAzure } from '@ai-sdk/azure';
import { ClientSecretCredential, getBearerTokenProvider, ManagedIdentityCredential } from '@azure/identity';
import { ConfidentialClientApplication } from '@azure/msal-node';
import { createAzureProvider } from '@keyless/ai-sdk';
import { COGNITIVE_SERVICES_SCOPE, createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { createAzureChatOpenAI } from '@keyless/langchain';
import { createAzureOpenAI } from '@keyless/openai';
import { limitConcurrency } from '@keyless/testing';
import { generateText } from 'ai';
import { AzureOpenAI } from 'openai';
import { startBenchEmulator, tokenRequests, useEnv } from './lib/benchEnv.js';
import { report } from './lib/worker.js';

// Scenario 2: N concurrent first requests through one client; count token requests at the
// emulator. One process per cell: every cell is really cold (msal-node caches managed-identity
// tokens process-wide).
const [subject = '', sizeText = '100'] = process.argv.slice(2);
const size = Number(sizeText);
const emulator = await startBenchEmulator();
const network = limitConcurrency(256); // sockets pooled, as a production agent would; the herd is not
const { chat } = emulator.deployments;
const messages = [{ role: 'user' as const, content: 'herd' }];

function sdkClient(azureADTokenProvider: () => Promise<string>) {
  return new AzureOpenAI({
    endpoint: emulator.openaiEndpoint,
    apiVersion: emulator.apiVersion,
    azureADTokenProvider,
    fetch: network,
    maxRetries: 0,
  });
}
const msalAuth = () =>
  createAuth({
    kind: 'msalConfidentialClient',
    tenantId: emulator.tenantId,
    clientId: emulator.client.clientId,
    clientSecret: emulator.client.clientSecret,
    authorityHost: emulator.authorityHost,
  });
const secretCredential = () =>
  new ClientSecretCredential(emulator.tenantId, emulator.client.clientId, emulator.client.clientSecret, {
    authorityHost: emulator.authorityHost,
    disableInstanceDiscovery: true,
  });

/** A keyless-built AzureOpenAI over the pooled network, and its chat call. */
function keylessOpenAI(auth: ReturnType<typeof createAuth>) {
  const client = createAzureOpenAI({
    auth,
    endpoint: emulator.openaiEndpoint,
    apiVersion: emulator.apiVersion,
    fetch: network,
    maxRetries: 0,
  });
  return () => client.chat.completions.create({ model: chat, messages });
}

let call: () => Promise<unknown>;
switch (subject) {
  case 'keyless-openai':
    call = keylessOpenAI(msalAuth());
    break;
  case 'keyless-langchain': {
    const model = createAzureChatOpenAI({
      auth: msalAuth(),
      endpoint: emulator.openaiEndpoint,
      apiVersion: emulator.apiVersion,
      deployment: chat,
      maxRetries: 0,
      configuration: { fetch: network },
    });
    call = () => model.invoke('herd');
    break;
  }
  case 'keyless-fetch': {
    const azureFetch = createAuthorizedFetch(msalAuth(), { origin: emulator.openaiEndpoint, fetch: network });
    const url = `${emulator.openaiEndpoint}/openai/deployments/${chat}/chat/completions?api-version=${emulator.apiVersion}`;
    call = () =>
      azureFetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messages }),
      }).then((r) => r.json());
    break;
  }
  case 'keyless-managedIdentity-openai':
    useEnv(emulator, 'managedIdentity');
    call = keylessOpenAI(createAuth({ kind: 'managedIdentity' }));
    break;
  case 'openai+naive(ClientSecretCredential)': {
    const credential = secretCredential();
    const client = sdkClient(() => credential.getToken(COGNITIVE_SERVICES_SCOPE).then((t) => t.token));
    call = () => client.chat.completions.create({ model: chat, messages });
    break;
  }
  case 'openai+naive(ManagedIdentityCredential)': {
    useEnv(emulator, 'managedIdentity');
    const credential = new ManagedIdentityCredential();
    const client = sdkClient(() => credential.getToken(COGNITIVE_SERVICES_SCOPE).then((t) => t.token));
    call = () => client.chat.completions.create({ model: chat, messages });
    break;
  }
  case 'openai+getBearerTokenProvider(ClientSecretCredential)': {
    const client = sdkClient(getBearerTokenProvider(secretCredential(), COGNITIVE_SERVICES_SCOPE));
    call = () => client.chat.completions.create({ model: chat, messages });
    break;
  }
  case 'msal acquireTokenByClientCredential': {
    const app = new ConfidentialClientApplication({
      auth: {
        clientId: emulator.client.clientId,
        clientSecret: emulator.client.clientSecret,
        authority: `${emulator.authorityHost}/${emulator.tenantId}`,
        knownAuthorities: [new URL(emulator.authorityHost).host],
      },
    });
    call = () => app.acquireTokenByClientCredential({ scopes: [COGNITIVE_SERVICES_SCOPE] });
    break;
  }
  case 'keyless-ai-sdk': {
    const azure = createAzureProvider({ auth: msalAuth(), endpoint: emulator.openaiEndpoint, fetch: network });
    call = () => generateText({ model: azure(chat), prompt: 'herd', maxRetries: 0 });
    break;
  }
  case 'ai-sdk tokenProvider(getBearerTokenProvider(ClientSecretCredential))':
  case 'ai-sdk tokenProvider(naive ClientSecretCredential)': {
    const credential = secretCredential();
    const tokenProvider = subject.includes('getBearerTokenProvider')
      ? getBearerTokenProvider(credential, COGNITIVE_SERVICES_SCOPE)
      : () => credential.getToken(COGNITIVE_SERVICES_SCOPE).then((t) => t.token);
    // The provider's own Entra ID option (@ai-sdk/azure 3.0.69+), on the same /openai/v1 URLs.
    const azure = createAzure({ baseURL: `${emulator.openaiEndpoint}/openai/v1`, tokenProvider, fetch: network });
    call = () => generateText({ model: azure(chat), prompt: 'herd', maxRetries: 0 });
    break;
  }
  default:
    throw new Error(`unknown subject ${subject}`);
}
const started = performance.now();
const outcomes = await Promise.allSettled(Array.from({ length: size }, () => call()));
const ms = Math.round(performance.now() - started);
const failed = outcomes.filter((o) => o.status === 'rejected').length;
const result = {
  subject,
  size,
  tokenRequests: tokenRequests(emulator),
  metadataRequests: emulator.counters.metadataRequests,
  failed,
  ms,
  rssMb: Math.round(process.memoryUsage().rss / 2 ** 20),
};
await emulator.close();
report(result);
