import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Auth, RequestAuth } from '@keyless/core';
import { createAuthenticatedFetch } from '@keyless/fetch';
import { type InboundAuth, verifyCaller } from './verifyCaller.js';

/** Settings of {@link createSummarizeService}. */
export interface SummarizeServiceOptions {
  auth: RequestAuth & Pick<Auth, 'redact' | 'status'>;
  endpoint: string;
  deployment: string;
  apiVersion: string;
  /** Where log lines go. Never given a token: keyless redacts before logging. */
  log: (line: string) => void;
  /** Largest accepted request body. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Who may call `POST /summarize`: every call without such a token is refused before any work. */
  inbound: InboundAuth;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * An HTTP service as it would run on App Service or AKS: `POST /summarize` with
 * `{ "text": "…" }`, from a caller holding an Entra token for this service's audience with the
 * app role it requires (401/403 with `WWW-Authenticate` otherwise, before any other work), calls
 * Azure OpenAI with the service's own identity through keyless's authenticated fetch.
 * `GET /healthz` answers from `auth.status()` without calling anything: 200 when ready (a valid
 * token cached, or the last token request succeeded), 503 otherwise; the status details only to
 * a caller with a token the service accepts. Bad input gets a 4xx; an
 * upstream auth failure a 502 whose explanation goes to the log (never a token).
 */
export function createSummarizeService(options: SummarizeServiceOptions): Server {
  const azureFetch = createAuthenticatedFetch(options.auth, { origin: options.endpoint, otherOrigins: 'refuse' });
  const url = `${options.endpoint.replace(/\/+$/, '')}/openai/deployments/${options.deployment}/chat/completions?api-version=${options.apiVersion}`;
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;

  async function summarize(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
    const verdict = await verifyCaller(req.headers.authorization, options.inbound);
    if (!verdict.ok) {
      options.log(`refused a caller (${verdict.status}): ${verdict.reason}`);
      res.setHeader('www-authenticate', verdict.wwwAuthenticate);
      throw new HttpError(verdict.status, verdict.message);
    }
    if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
      throw new HttpError(415, 'send JSON: content-type application/json');
    const body = await readLimited(req, maxBodyBytes);
    if (body.length === 0) throw new HttpError(400, 'the body is empty: send {"text": "..."}');
    let input: { text?: unknown };
    try {
      input = JSON.parse(body) as { text?: unknown };
    } catch {
      throw new HttpError(400, 'the body is not valid JSON');
    }
    if (typeof input.text !== 'string' || input.text.trim() === '')
      throw new HttpError(422, '"text" must be a non-empty string');
    const upstream = await azureFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [
          { role: 'system', content: 'Summarize in one sentence.' },
          { role: 'user', content: input.text },
        ],
      }),
    });
    if (!upstream.ok) {
      const detail = options.auth.redact(await upstream.text());
      options.log(`upstream ${upstream.status}: ${detail}`);
      throw new HttpError(502, `Azure OpenAI answered ${upstream.status}; see the service log`);
    }
    const completion = (await upstream.json()) as { choices: Array<{ message: { content: string } }> };
    return { summary: completion.choices[0]?.message.content ?? '' };
  }

  return createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && path === '/healthz') {
      // Ready or not for anyone (a load balancer's probe); the details (strategy, seconds left,
      // failures, next attempt) only for a caller this service would accept.
      const status = options.auth.status();
      const summary = { status: status.ready ? 'ok' : 'not ready' };
      if (req.headers.authorization === undefined) return send(res, status.ready ? 200 : 503, summary);
      verifyCaller(req.headers.authorization, options.inbound).then(
        (verdict) => send(res, status.ready ? 200 : 503, verdict.ok ? { ...summary, auth: status } : summary),
        () => send(res, status.ready ? 200 : 503, summary),
      );
      return;
    }
    if (req.method === 'POST' && path === '/summarize') {
      summarize(req, res).then(
        (result) => send(res, 200, result),
        (error: unknown) => {
          if (error instanceof HttpError) return send(res, error.status, { error: error.message });
          options.log(
            `summarize failed: ${options.auth.redact(error instanceof Error ? error.message : String(error))}`,
          );
          send(res, 502, { error: 'upstream call failed; see the service log' });
        },
      );
      return;
    }
    send(res, 404, { error: 'not found: use POST /summarize or GET /healthz' });
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readLimited(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, `the body is larger than ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `the body is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
