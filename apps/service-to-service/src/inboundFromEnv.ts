import { request } from 'node:https';
import { createLocalJWKSet, createRemoteJWKSet, customFetch } from 'jose';
import type { InboundAuth } from './verifyCaller.js';

/** The most of a JWKS answer read into memory: a tenant's keys are a few KiB. */
const MAX_JWKS_BYTES = 1024 * 1024;

/**
 * Who may call the service, from the environment: SUMMARIZER_AUDIENCE (this service's app ID URI,
 * `api://<app id>`), SUMMARIZER_TENANT_ID (default AZURE_TENANT_ID) and SUMMARIZER_JWKS_URI
 * (default Entra's keys of that tenant; https only, loopback excepted for a local emulator).
 * `ca` trusts a local authority in-process (the emulator). With SUMMARIZER_ON_BEHALF_OF=true the
 * callers are signed-in users (their tokens carry the scope SUMMARIZER_USER_SCOPE, default
 * `access_as_user`), for whom the service calls Azure OpenAI.
 */
export async function inboundFromEnv(env: NodeJS.ProcessEnv, ca?: string): Promise<InboundAuth> {
  const audience = env.SUMMARIZER_AUDIENCE?.trim();
  const tenantId = (env.SUMMARIZER_TENANT_ID ?? env.AZURE_TENANT_ID)?.trim();
  if (!audience) {
    throw new Error(
      "SUMMARIZER_AUDIENCE is not set: set it to this service's application ID URI (api://<app id> of its app registration), the audience callers request tokens for.",
    );
  }
  if (!tenantId)
    throw new Error('SUMMARIZER_TENANT_ID (or AZURE_TENANT_ID) is not set: the tenant whose callers are accepted.');
  const jwksUri = requireHttpsJwks(
    env.SUMMARIZER_JWKS_URI?.trim() || `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`,
  );
  // In-process with the emulator, its CA is not in Node's trust store: fetch the keys once with it.
  const keys =
    ca === undefined
      ? createRemoteJWKSet(jwksUri, { [customFetch]: boundedFetch })
      : createLocalJWKSet(JSON.parse(await getText(jwksUri.href, ca)));
  const users = onBehalfOfEnabled(env);
  const scope = env.SUMMARIZER_USER_SCOPE?.trim();
  return {
    audience,
    tenantId,
    keys,
    ...(users ? { callers: 'users', ...(scope ? { requiredScope: scope } : {}) } : {}),
  };
}

/** Whether SUMMARIZER_ON_BEHALF_OF asks the service to act for its (user) callers. */
export function onBehalfOfEnabled(env: NodeJS.ProcessEnv): boolean {
  const value = env.SUMMARIZER_ON_BEHALF_OF?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'false' || value === '0') return false;
  if (value === 'true' || value === '1') return true;
  throw new Error(`SUMMARIZER_ON_BEHALF_OF must be true or false, not ${JSON.stringify(value).slice(0, 30)}.`);
}

/** The signing keys decide who may call: an http JWKS could be swapped on the way. */
function requireHttpsJwks(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `SUMMARIZER_JWKS_URI is not a URL: set it to the tenant's keys, https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys.`,
    );
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(
      `SUMMARIZER_JWKS_URI must be https (it names the keys that decide who may call), not ${url.protocol}//${url.host}. Use https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys.`,
    );
  }
  return url;
}

/** jose's fetch of the JWKS, reading at most MAX_JWKS_BYTES of the answer. */
const boundedFetch = async (url: string, options: RequestInit): Promise<Response> => {
  const response = await fetch(url, options);
  const text = await readCapped(response);
  return new Response(text, { status: response.status, headers: { 'content-type': 'application/json' } });
};

async function readCapped(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = await reader?.read();
    if (chunk === undefined || chunk.done) break;
    size += chunk.value.byteLength;
    if (size > MAX_JWKS_BYTES) {
      await reader?.cancel();
      throw new Error(`the JWKS answer is larger than ${MAX_JWKS_BYTES} bytes`);
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function getText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.length > MAX_JWKS_BYTES)
          req.destroy(new Error(`${url}: the JWKS answer is larger than ${MAX_JWKS_BYTES} bytes`));
      });
      res.on('end', () => resolve(text));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 10 s`)));
    req.on('error', reject);
    req.end();
  });
}
