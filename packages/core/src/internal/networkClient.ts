import type { Agent as HttpAgent } from 'node:http';
import type { Agent } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { MAX_BODY_BYTES } from './readLimitedText.js';

/** Options of {@link networkClient}. */
export interface NetworkClientOptions {
  /** Extra CA certificates (PEM) to trust, e.g. a local emulator's. */
  ca?: string | undefined;
  /**
   * The proxy for https requests (`http://proxy:3128`, a CONNECT tunnel), `false` for none;
   * default: the environment's HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), decided per URL
   * as @azure/identity does. Plain-http requests (managed identity's endpoints) never use one.
   */
  proxy?: string | false | undefined;
  /** Sees each answer's status and headers (keyless reads Retry-After here). */
  onResponse?: ((status: number, header: (name: string) => string | undefined) => void) | undefined;
  /** Sees each transport failure (refused, reset, an untrusted certificate) and its URL. */
  onTransportError?: ((error: unknown, url: string) => void) | undefined;
  /** Rewrites a parsed JSON body before msal reads it. */
  transformBody?: ((body: unknown) => unknown) | undefined;
  /**
   * Longest a request may take, start to end (msal sets none on POSTs). The socket is destroyed
   * then, so an endpoint that never answers leaves nothing open.
   */
  timeoutMs?: number | undefined;
  /**
   * Longest the TCP (and TLS) connection may take to open. Managed identity sets 1 s: off Azure,
   * IMDS's address is often black-holed, and a request would otherwise wait for the whole deadline.
   */
  connectTimeoutMs?: number | undefined;
}

/**
 * The msal-node network client keyless uses. It does what msal's own cannot:
 * - trust extra CA certificates (a local authority such as the keyless emulator), where
 *   NODE_EXTRA_CA_CERTS only works if set before the process starts;
 * - report each answer's status and headers, so that keyless can honour a token endpoint's
 *   Retry-After (msal-node's errors do not carry it);
 * - normalise answers msal misreads (managed identity's `expires_on` as an HTTP date).
 */
export function networkClient(options: NetworkClientOptions = {}): INetworkModule {
  // node:http and node:https (with tls) are loaded on the first request, not when core is imported.
  let agent: Agent | undefined;
  const tls = options.ca === undefined ? {} : { ca: options.ca };
  const modules = async () => {
    const [http, https] = await Promise.all([import('node:http'), import('node:https')]);
    agent ??= new https.Agent({ ...tls, keepAlive: true });
    return { http, https, agent };
  };
  const proxied = new Map<string, HttpAgent>(); // one CONNECT agent per proxy URL
  /** The CONNECT agent of an https request through a proxy, or undefined for none. */
  const proxyAgent = async (url: string): Promise<HttpAgent | undefined> => {
    // Plain-http token endpoints are managed identity's (IMDS on a link-local address, App
    // Service, Container Apps, Arc on localhost): a proxy would see the identity header and the
    // token in clear, or answer with its own. They are never proxied, whatever the settings say.
    if (url.startsWith('http:')) return undefined;
    const proxy = options.proxy === false ? '' : (options.proxy ?? (await proxyFromEnvironment(url)));
    if (proxy === '') return undefined;
    let found = proxied.get(proxy);
    if (found === undefined) {
      found = new ((await import('https-proxy-agent')) as unknown as ProxyAgents).HttpsProxyAgent(proxy, {
        ...tls,
        keepAlive: true,
      });
      proxied.set(proxy, found);
    }
    return found;
  };
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    request: NetworkRequestOptions = {},
    timeout?: number,
  ) => {
    const { http, https, agent } = await modules();
    const viaProxy = await proxyAgent(url);
    return new Promise<NetworkResponse<T>>((resolve, reject) => {
      const secure = url.startsWith('https:');
      const headers: Record<string, string | number> = { ...request.headers };
      // A sized body, not a chunked one: some proxies and gateways refuse chunked token POSTs.
      if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
      // Through a proxy the target's TLS is set up per request (the CA goes with the request).
      const settings = {
        method,
        headers,
        ...(viaProxy !== undefined ? { agent: viaProxy, ...tls } : secure ? { agent } : {}),
      };
      const limits = [timeout, options.timeoutMs].filter((ms): ms is number => ms !== undefined && ms > 0);
      const req = (secure ? https.request : http.request)(url, settings, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          // No token answer is this large: stop reading rather than buffer what a broken or
          // hostile endpoint sends.
          if (size > MAX_BODY_BYTES) {
            req.destroy(new Error(`the answer of ${new URL(url).origin} is larger than ${MAX_BODY_BYTES} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(deadline);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // msal reads error bodies as JSON; a non-JSON body is passed through as text.
          }
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          options.onResponse?.(res.statusCode ?? 0, (name) => headers[name]);
          const transformed = options.transformBody === undefined ? body : options.transformBody(body);
          resolve({ status: res.statusCode ?? 0, headers, body: transformed as T });
        });
      });
      const deadline =
        limits.length === 0
          ? undefined
          : setTimeout(
              () => req.destroy(new Error(`request to ${new URL(url).origin} timed out`)),
              Math.min(...limits),
            );
      deadline?.unref();
      if (options.connectTimeoutMs !== undefined) {
        const connectMs = options.connectTimeoutMs;
        req.once('socket', (socket) => {
          if (!socket.connecting) return;
          const timer = setTimeout(
            () => req.destroy(new Error(`connecting to ${new URL(url).origin} timed out after ${connectMs} ms`)),
            connectMs,
          );
          timer.unref();
          socket.once('connect', () => clearTimeout(timer));
          socket.once('close', () => clearTimeout(timer));
        });
      }
      req.on('error', (error) => {
        clearTimeout(deadline);
        options.onTransportError?.(error, url);
        reject(error);
      });
      if (request.body !== undefined) req.write(request.body);
      req.end();
    });
  };
  return {
    sendGetRequestAsync: (url, request, timeout) => send('GET', url, request, timeout),
    sendPostRequestAsync: (url, request) => send('POST', url, request),
  };
}

/**
 * The proxy the environment names for `url`: HTTPS_PROXY or HTTP_PROXY by scheme (upper or lower
 * case), unless NO_PROXY matches (hosts, domains, ports, `*`); '' for none. Loopback is not
 * special: only NO_PROXY decides.
 */
async function proxyFromEnvironment(url: string): Promise<string> {
  const names = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'];
  if (!names.some((name) => process.env[name])) return '';
  // `as string`: the package ships no types; the import stays a literal one in the build.
  const { getProxyForUrl } = (await import('proxy-from-env' as string)) as { getProxyForUrl(url: string): string };
  return getProxyForUrl(url);
}

type ProxyAgentClass = new (proxy: string, options: Record<string, unknown>) => HttpAgent;
type ProxyAgents = { HttpsProxyAgent: ProxyAgentClass };
