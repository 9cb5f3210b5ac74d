import type { Agent } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** Options of {@link networkClient}. */
export interface NetworkClientOptions {
  /** Extra CA certificates (PEM) to trust, e.g. a local emulator's. */
  ca?: string | undefined;
  /** Sees each answer's status and headers (keyless reads Retry-After here). */
  onResponse?: ((status: number, header: (name: string) => string | undefined) => void) | undefined;
  /** Rewrites a parsed JSON body before msal reads it. */
  transformBody?: ((body: unknown) => unknown) | undefined;
  /**
   * Longest a request may take, start to end (msal sets none on POSTs). The socket is destroyed
   * then, so an endpoint that never answers leaves nothing open.
   */
  timeoutMs?: number | undefined;
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
  const modules = async () => {
    const [http, https] = await Promise.all([import('node:http'), import('node:https')]);
    agent ??= new https.Agent({ ...(options.ca === undefined ? {} : { ca: options.ca }), keepAlive: true });
    return { http, https, agent };
  };
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    request: NetworkRequestOptions = {},
    timeout?: number,
  ) => {
    const { http, https, agent } = await modules();
    return new Promise<NetworkResponse<T>>((resolve, reject) => {
      const secure = url.startsWith('https:');
      const headers: Record<string, string | number> = { ...request.headers };
      // A sized body, not a chunked one: some proxies and gateways refuse chunked token POSTs.
      if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
      const settings = { method, headers, ...(secure ? { agent } : {}) };
      const limits = [timeout, options.timeoutMs].filter((ms): ms is number => ms !== undefined && ms > 0);
      const req = (secure ? https.request : http.request)(url, settings, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
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
      req.on('error', (error) => {
        clearTimeout(deadline);
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
