import { createAuth, type Strategy } from '@keyless/core';
import { createAuthorizedFetch } from '@keyless/core/adapter';
import { useEmulator } from '@keyless/testing/vitest';
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CountingProxy, startCountingProxy } from '../src/countingProxy.js';
import { recordFigure } from '../src/figures.js';
import { msalSecret } from '../src/setup.js';

// A real forward proxy on 127.0.0.1 (the `proxy` package: CONNECT tunnels and plain HTTP
// forwarding), counting what went through it by target.
const emulator = useEmulator({ reset: false });
let proxy: CountingProxy;
let proxyUrl: string;
let tunnels: string[];
let forwarded: string[];
const PROXY_VARIABLES = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'NO_PROXY', 'no_proxy'];

beforeAll(async () => {
  proxy = await startCountingProxy();
  ({ url: proxyUrl, tunnels, forwarded } = proxy);
});
afterAll(async () => {
  await proxy.close();
});
afterEach(() => {
  for (const name of PROXY_VARIABLES) delete process.env[name];
  tunnels.length = 0;
  forwarded.length = 0;
});

const authority = () => new URL(emulator.authorityHost).host;
const secretAuth = (proxyOption?: string | false) =>
  createAuth({
    ...(msalSecret(emulator) as Extract<Strategy, { kind: 'msalConfidentialClient' }>),
    ...(proxyOption === undefined ? {} : { proxy: proxyOption }),
  });

describe('token requests through a proxy', () => {
  for (const name of ['HTTPS_PROXY', 'https_proxy']) {
    it(`go through ${name}: the token endpoint is reached only by a tunnel`, async () => {
      process.env[name] = proxyUrl;
      const before = emulator.counters.tokenRequests.entra;
      expect(await secretAuth().getToken()).toMatch(/^eyJ/);
      expect(emulator.counters.tokenRequests.entra - before).toBe(1);
      expect(tunnels.length).toBeGreaterThanOrEqual(1);
      expect(tunnels.every((target) => target === authority())).toBe(true);
      recordFigure({
        id: 'R13',
        check: `token request (msalConfidentialClient) with ${name} set to a forward proxy on 127.0.0.1`,
        measured: `1 token request reached the token endpoint, through ${tunnels.length} CONNECT tunnel(s), all to the authority ${authority()}; none direct`,
      });
    });
  }

  it('bypass the proxy when NO_PROXY matches (loopback is not special)', async () => {
    process.env.HTTPS_PROXY = proxyUrl;
    process.env.NO_PROXY = '127.0.0.1';
    expect(await secretAuth().getToken()).toMatch(/^eyJ/);
    expect(tunnels).toEqual([]);
    recordFigure({
      id: 'R13',
      check: 'token request with HTTPS_PROXY set and NO_PROXY=127.0.0.1',
      measured: `${tunnels.length} tunnels through the proxy: the token endpoint was reached directly`,
    });
  });

  it('go through the proxy option, and through none with proxy: false', async () => {
    expect(await secretAuth(proxyUrl).getToken()).toMatch(/^eyJ/);
    expect(tunnels.length).toBeGreaterThanOrEqual(1);
    tunnels.length = 0;
    process.env.HTTPS_PROXY = proxyUrl;
    expect(await secretAuth(false).getToken()).toMatch(/^eyJ/);
    expect(tunnels).toEqual([]);
  });

  it('refuses a proxy option that is not a URL, naming the setting', () => {
    expect(() => secretAuth('proxy.corp:3128')).toThrow(/proxy must be a URL such as http:\/\/proxy\.corp:3128/);
  });
});

describe('data-plane calls through a proxy (undici EnvHttpProxyAgent as the fetch)', () => {
  const call = (auth: ReturnType<typeof secretAuth>) => {
    const dispatcher = new EnvHttpProxyAgent();
    const azureFetch = createAuthorizedFetch(auth, {
      origin: emulator.openaiEndpoint,
      fetch: ((input, init) => undiciFetch(input as string, { ...(init as object), dispatcher })) as typeof fetch,
    });
    return azureFetch(
      `${emulator.openaiEndpoint}/openai/deployments/${emulator.deployments.chat}/chat/completions?api-version=${emulator.apiVersion}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"messages":[{"role":"user","content":"via proxy"}]}',
      },
    );
  };

  it('go through HTTP_PROXY with exactly one auth header, and not when NO_PROXY matches', async () => {
    const auth = secretAuth(false);
    process.env.HTTP_PROXY = proxyUrl;
    const response = await call(auth);
    expect(response.status).toBe(200);
    // undici reaches even an http target through a CONNECT tunnel.
    const dataPlane = new URL(emulator.openaiEndpoint).host;
    const viaProxy = () => tunnels.filter((target) => target === dataPlane).length + forwarded.length;
    expect(viaProxy()).toBe(1);
    expect(emulator.counters.dataPlane.both).toBe(0);
    const through = viaProxy();
    forwarded.length = 0;
    tunnels.length = 0;
    process.env.NO_PROXY = '127.0.0.1';
    expect((await call(auth)).status).toBe(200);
    expect(viaProxy()).toBe(0);
    recordFigure({
      id: 'R13',
      check:
        "data-plane call through keyless's authorized fetch over undici's EnvHttpProxyAgent, HTTP_PROXY set, then NO_PROXY=127.0.0.1",
      measured: `${through} request through the proxy (a CONNECT tunnel to the data plane) with one auth header (0 with both), then ${viaProxy()} once NO_PROXY matched`,
    });
  });
});
