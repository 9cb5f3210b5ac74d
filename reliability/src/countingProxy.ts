import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'proxy';

/** A real forward proxy on 127.0.0.1, and what went through it by target. */
export interface CountingProxy {
  readonly url: string;
  /** `host:port` of every CONNECT tunnel opened. */
  readonly tunnels: string[];
  /** Absolute URIs of every plain-HTTP request forwarded. */
  readonly forwarded: string[];
  close(): Promise<void>;
}

/** Starts the `proxy` package (CONNECT tunnels and plain HTTP forwarding), counting both. */
export async function startCountingProxy(): Promise<CountingProxy> {
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const proxy: Server = createProxy(createServer());
  proxy.on('connect', (req) => tunnels.push(String(req.url)));
  proxy.on('request', (req) => forwarded.push(String(req.url)));
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    tunnels,
    forwarded,
    close: async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
