import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../src/vitest.js';
import { requestsTo } from './support/emulatorRequests.js';

// The data plane and Realtime, as Azure answers them. Expired tokens and both headers are sent on purpose here: the data plane must refuse them.
const emulator = useEmulator({ invariants: { oneAuthHeader: false, noExpiredTokens: false } });
beforeEach(() => {
  emulator.settings.audience = 'https://cognitiveservices.azure.com';
  emulator.settings.expiresOnFormat = 'epoch-string';
});

const { secretToken, chatUrl, chat } = requestsTo(emulator);

describe('Azure OpenAI data plane', () => {
  it('answers chat deterministically with a key or a token', async () => {
    const withKey = (await (await chat({ 'api-key': emulator.apiKey })).json()) as {
      choices: Array<{ message: { content: string } }>;
    };
    expect(withKey.choices[0]?.message.content).toBe('Echo: hi');
    expect((await chat({ authorization: `Bearer ${await secretToken()}` })).status).toBe(200);
  });

  it('streams SSE chunks ending with [DONE]', async () => {
    const text = await (
      await chat({ 'api-key': emulator.apiKey }, chatUrl(), {
        stream: true,
        messages: [{ role: 'user', content: 'a b' }],
      })
    ).text();
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
    const deltas = text
      .split('\n')
      .filter((l) => l.startsWith('data: {'))
      .map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? '');
    expect(deltas.join('')).toBe('Echo: a b');
  });

  it('returns base64 float32 embeddings when asked, floats otherwise', async () => {
    const url = `${emulator.openaiEndpoint}/openai/deployments/${emulator.deployments.embeddings}/embeddings?api-version=${emulator.apiVersion}`;
    const floats = (await (await chat({ 'api-key': emulator.apiKey }, url, { input: 'x' })).json()) as {
      data: Array<{ embedding: number[] }>;
    };
    const base64 = (await (
      await chat({ 'api-key': emulator.apiKey }, url, { input: 'x', encoding_format: 'base64' })
    ).json()) as { data: Array<{ embedding: string }> };
    const bytes = Buffer.from(base64.data[0]?.embedding ?? '', 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded[0]).toBeCloseTo(floats.data[0]?.embedding[0] ?? Number.NaN, 5);
  });

  it('serves the /openai/v1 path with the deployment as model', async () => {
    const response = await chat(
      { 'api-key': emulator.apiKey },
      `${emulator.openaiEndpoint}/openai/v1/chat/completions`,
      { model: emulator.deployments.chat, messages: [{ role: 'user', content: 'v1' }] },
    );
    expect(response.status).toBe(200);
  });

  it('rejects what Azure rejects, with Azure bodies', async () => {
    const token = await secretToken();
    const both = await chat({ 'api-key': emulator.apiKey, authorization: `Bearer ${token}` });
    expect(both.status).toBe(400);
    const badKey = await chat({ 'api-key': 'wrong' });
    expect(await badKey.json()).toMatchObject({
      error: { code: '401', message: expect.stringContaining('invalid subscription key') },
    });
    const badToken = await chat({ authorization: `Bearer ${token.slice(0, -4)}AAAA` });
    expect(await badToken.json()).toMatchObject({
      statusCode: 401,
      message: expect.stringContaining('audience is incorrect'),
    });
    emulator.settings.audience = 'https://management.azure.com';
    const wrongAudience = await chat({ authorization: `Bearer ${await secretToken()}` });
    expect(wrongAudience.status).toBe(401);
    const missing = await chat({ 'api-key': emulator.apiKey }, chatUrl('no-such-deployment'));
    expect(await missing.json()).toMatchObject({ error: { code: 'DeploymentNotFound' } });
    expect((await chat({ 'api-key': emulator.apiKey }, chatUrl(undefined, ''))).status).toBe(404);
  });

  it('answers PermissionDenied for a principal without the role, naming its oid', async () => {
    const token = await secretToken();
    emulator.removeRole(emulator.client.objectId);
    const denied = await chat({ authorization: `Bearer ${token}` });
    emulator.grantRole(emulator.client.objectId);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({
      error: { code: 'PermissionDenied', message: expect.stringContaining(emulator.client.objectId) },
    });
  });

  it('counts expired tokens it receives', async () => {
    emulator.settings.expireEarlySeconds = 3600 + 60;
    const expired = await secretToken();
    emulator.settings.expireEarlySeconds = 0;
    const before = emulator.counters.expiredTokensReceived;
    expect((await chat({ authorization: `Bearer ${expired}` })).status).toBe(401);
    expect(emulator.counters.expiredTokensReceived).toBe(before + 1);
  });
});

describe('Realtime WebSocket', () => {
  /** Opens a wss:// handshake; resolves with the first server event, or the refusal's status and body. */
  async function handshake(
    path: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const { WebSocket } = await import('ws');
    const url = `${emulator.openaiEndpoint.replace('http://', 'wss://')}${path}`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers, ca: emulator.caCertificate });
      ws.once('message', (data) => {
        ws.close();
        resolve({ status: 101, body: JSON.parse(String(data)) as Record<string, unknown> });
      });
      ws.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }),
        );
      });
      ws.once('error', reject);
    });
  }
  const v1 = () => `/openai/v1/realtime?model=${emulator.deployments.chat}`;

  it('accepts a valid token or key on the v1 and the deployment paths, and sends session.created', async () => {
    const token = await secretToken();
    const opened = await handshake(v1(), { authorization: `Bearer ${token}` });
    expect(opened.status).toBe(101);
    expect(opened.body.type).toBe('session.created');
    const versioned = await handshake(
      `/openai/realtime?api-version=${emulator.apiVersion}&deployment=${emulator.deployments.chat}`,
      { 'api-key': emulator.apiKey },
    );
    expect(versioned.body.type).toBe('session.created');
  });

  it('refuses the handshake like the HTTP data plane: bad token, both headers, no role, unknown deployment', async () => {
    const token = await secretToken();
    expect((await handshake(v1(), { authorization: 'Bearer not-a-token' })).status).toBe(401);
    expect((await handshake(v1(), { 'api-key': 'wrong' })).status).toBe(401);
    const both = await handshake(v1(), { authorization: `Bearer ${token}`, 'api-key': emulator.apiKey });
    expect(both.status).toBe(400);
    emulator.removeRole(emulator.client.objectId);
    try {
      const denied = await handshake(v1(), { authorization: `Bearer ${token}` });
      expect(denied.status).toBe(401);
      expect(JSON.stringify(denied.body)).toContain('PermissionDenied');
    } finally {
      emulator.grantRole(emulator.client.objectId);
    }
    expect((await handshake('/openai/v1/realtime?model=nope', { authorization: `Bearer ${token}` })).status).toBe(404);
  });

  it('refuses an expired token', async () => {
    emulator.settings.expireEarlySeconds = 3_600;
    try {
      const expired = await secretToken();
      expect((await handshake(v1(), { authorization: `Bearer ${expired}` })).status).toBe(401);
    } finally {
      emulator.settings.expireEarlySeconds = 0;
    }
  });
});
