import { request } from 'node:https';
import type { Emulator } from '../../src/index.js';

/** The raw requests the emulator tests make: to the authority (HTTPS, its CA) and the data plane. */
export function requestsTo(emulator: Emulator) {
  /** HTTPS to the authority, trusting the emulator's certificate. */
  function authority(
    path: string,
    form?: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const body = form === undefined ? undefined : new URLSearchParams(form).toString();
      const req = request(
        `${emulator.authorityHost}${path}`,
        {
          method: body ? 'POST' : 'GET',
          ca: emulator.caCertificate,
          headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
        },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => {
            text += c.toString();
          });
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  const clientCredentials = (extra: Record<string, string>) => ({
    grant_type: 'client_credentials',
    client_id: emulator.client.clientId,
    scope: 'https://cognitiveservices.azure.com/.default',
    ...extra,
  });

  async function secretToken(): Promise<string> {
    const { body } = await authority(
      `/${emulator.tenantId}/oauth2/v2.0/token`,
      clientCredentials({ client_secret: emulator.client.clientSecret }),
    );
    return String(body.access_token);
  }

  const chatUrl = (deployment = emulator.deployments.chat, version = `?api-version=${emulator.apiVersion}`) =>
    `${emulator.openaiEndpoint}/openai/deployments/${deployment}/chat/completions${version}`;
  const chat = (
    headers: Record<string, string>,
    url = chatUrl(),
    body: unknown = { messages: [{ role: 'user', content: 'hi' }] },
  ) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  return { authority, clientCredentials, secretToken, chatUrl, chat };
}
