import { request } from 'node:https';
import { createLocalJWKSet, createRemoteJWKSet } from 'jose';
import type { InboundAuth } from './verifyCaller.js';

/**
 * Who may call the service, from the environment: SUMMARIZER_AUDIENCE (this service's app ID URI,
 * `api://<app id>`), SUMMARIZER_TENANT_ID (default AZURE_TENANT_ID) and SUMMARIZER_JWKS_URI
 * (default Entra's keys of that tenant). `ca` trusts a local authority in-process (the emulator).
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
  const jwksUri =
    env.SUMMARIZER_JWKS_URI?.trim() || `https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`;
  // In-process with the emulator, its CA is not in Node's trust store: fetch the keys once with it.
  const keys =
    ca === undefined ? createRemoteJWKSet(new URL(jwksUri)) : createLocalJWKSet(JSON.parse(await getText(jwksUri, ca)));
  return { audience, tenantId, keys };
}

function getText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => resolve(text));
    });
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within 10 s`)));
    req.on('error', reject);
    req.end();
  });
}
