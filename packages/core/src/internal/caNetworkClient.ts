import { Agent, request } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/**
 * An msal-node network client that trusts extra CA certificates (a local authority such as the
 * keyless emulator). msal's own client offers no CA option, and NODE_EXTRA_CA_CERTS only works
 * when set before the process starts.
 */
export function caNetworkClient(ca: string): INetworkModule {
  const agent = new Agent({ ca, keepAlive: true });
  const send = <T>(method: 'GET' | 'POST', url: string, options: NetworkRequestOptions = {}, timeout?: number) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      const req = request(url, { method, agent, headers: options.headers ?? {}, timeout }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
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
          resolve({ status: res.statusCode ?? 0, headers, body: body as T });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`request to ${new URL(url).origin} timed out`)));
      req.on('error', reject);
      if (options.body !== undefined) req.write(options.body);
      req.end();
    });
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}
