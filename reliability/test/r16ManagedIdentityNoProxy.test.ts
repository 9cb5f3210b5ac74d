import { request } from 'node:http';
import { createAuth } from '@keyless/core';
import { useEmulator } from '@keyless/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CountingProxy, startCountingProxy } from '../src/countingProxy.js';
import { recordFigure } from '../src/figures.js';

// Managed identity's endpoints are plain http (IMDS on 169.254.169.254, App Service and Container
// Apps on localhost): a proxy would read X-IDENTITY-HEADER and the token, or answer with its own.
// A real forward proxy on 127.0.0.1 counts what reached it. One managed-identity source per
// process (msal-node fixes it), so this file is App Service's; the networkClient path is the same
// for every plain-http endpoint.
const emulator = useEmulator({ reset: false });
let proxy: CountingProxy;
let proxyUrl: string;
let tunnels: string[];
let forwarded: string[];

beforeAll(async () => {
  proxy = await startCountingProxy();
  ({ url: proxyUrl, tunnels, forwarded } = proxy);
});
afterAll(async () => {
  await proxy.close();
});

describe('R16: managed-identity token requests never go through a proxy', () => {
  it('with HTTP_PROXY, http_proxy, HTTPS_PROXY and ALL_PROXY all set, the identity endpoint is reached directly', async () => {
    process.env.IDENTITY_ENDPOINT = emulator.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = emulator.managedIdentity.header;
    for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'ALL_PROXY']) process.env[name] = proxyUrl;
    // The proxy works: a plain request through it is forwarded and counted (the check can fail).
    const probe = await new Promise<number>((resolve, reject) => {
      const target = new URL(emulator.managedIdentity.endpoint);
      const { port } = new URL(proxyUrl);
      const req = request(
        { host: '127.0.0.1', port, path: `${target.origin}/probe-through-proxy`, method: 'GET' },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(probe).toBeGreaterThan(0);
    expect(forwarded).toHaveLength(1);
    forwarded.length = 0;

    const before = emulator.counters.tokenRequests.appService;
    const auth = createAuth({ kind: 'managedIdentity' });
    expect(await auth.getToken()).toMatch(/^eyJ/);
    // The positive side: the token request happened, at the identity endpoint.
    expect(emulator.counters.tokenRequests.appService - before).toBe(1);
    expect(forwarded).toEqual([]);
    expect(tunnels).toEqual([]);
    recordFigure({
      id: 'R16',
      check:
        'managedIdentity (App Service endpoint, plain http) with HTTP_PROXY, http_proxy, HTTPS_PROXY and ALL_PROXY set to a forward proxy on 127.0.0.1',
      measured: `1 token request reached the identity endpoint directly; the proxy forwarded ${forwarded.length} requests and opened ${tunnels.length} tunnels (a probe sent to it on purpose was forwarded: it was listening)`,
    });
  });
});
