import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAuth } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../src/figures.js';

const MiB = 1024 * 1024;
const ENDLESS = 64 * MiB;

/**
 * A server that answers with `status` and a body of up to 64 MiB, written as fast as the client
 * takes it; `sent()` is how much it managed before the client stopped reading or hung up.
 */
async function startFloodingServer(status: number, contentType: string) {
  let bytes = 0;
  let requests = 0;
  const chunk = Buffer.alloc(64 * 1024, 'x');
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    res.writeHead(status, { 'content-type': contentType });
    if (contentType === 'application/json') res.write('{"statusCode":401,"message":"');
    const pump = () => {
      while (bytes < ENDLESS) {
        bytes += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end('"}');
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sent: () => bytes,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// One managed-identity source per process (msal-node fixes it): this file's points at a flood.
describe('R19: keyless reads at most 1 MiB of an answer', () => {
  let tokenFlood: Awaited<ReturnType<typeof startFloodingServer>>;
  let dataFlood: Awaited<ReturnType<typeof startFloodingServer>>;
  beforeAll(async () => {
    [tokenFlood, dataFlood] = await Promise.all([
      startFloodingServer(200, 'application/json'),
      startFloodingServer(401, 'application/json'),
    ]);
  });
  afterAll(() => Promise.all([tokenFlood.close(), dataFlood.close()]));

  it('a token endpoint that sends an endless answer: the request fails, reading stops', async () => {
    process.env.IDENTITY_ENDPOINT = `${tokenFlood.url}/msi/token`;
    process.env.IDENTITY_HEADER = 'identity-header-value';
    const auth = createAuth({ kind: 'managedIdentity' }, { tokenRequestTimeoutMs: 20_000 });
    const error = await auth.getToken().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(tokenFlood.requests()).toBeGreaterThanOrEqual(1);
    expect(error?.message).toMatch(/^managedIdentity: /);
    // 1 MiB read, plus what sat in socket buffers when keyless hung up; far from the 64 MiB offered.
    expect(tokenFlood.sent()).toBeLessThan(8 * MiB);
    recordFigure({
      id: 'R19',
      check: 'a managed-identity endpoint answering 200 with a 64 MiB body',
      measured: `${tokenFlood.requests()} token request(s); the server got ${(tokenFlood.sent() / MiB).toFixed(1)} MiB out before keyless hung up (cap 1 MiB read, the rest socket buffers); the call failed with a managedIdentity error`,
    });
  });

  it('a 401 with an endless body: keyless reads at most 1 MiB of it, explains nothing, passes it on', async () => {
    const auth = createAuth({ kind: 'apiKey', key: 'flood-test-key' });
    const azureFetch = createAuthorizedFetch(auth, { origin: dataFlood.url });
    const response = await azureFetch(`${dataFlood.url}/openai/deployments/x/chat/completions?api-version=1`);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-keyless-error-code')).toBeNull();
    // Give the server time to push what it can while the caller reads nothing.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = dataFlood.sent();
    await response.body?.cancel();
    expect(dataFlood.requests()).toBe(1);
    expect(sent).toBeLessThan(8 * MiB);
    recordFigure({
      id: 'R19',
      check: 'Azure OpenAI (here a loopback origin) answering 401 with a 64 MiB body, through @keyless/fetch',
      measured: `1 request; ${(sent / MiB).toFixed(1)} MiB left the server before the caller read anything (keyless stopped classifying at 1 MiB and returned the answer unexplained, unread)`,
    });
  });
});
