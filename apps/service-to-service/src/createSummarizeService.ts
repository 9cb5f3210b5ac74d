import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Auth, OnBehalfOf } from '@keyless/core';
import type { RequestAuth } from '@keyless/core/adapter';
import { createAuthorizedFetch } from '@keyless/fetch';
import { type InboundAuth, verifyCaller } from './verifyCaller.js';

/** Settings of {@link createSummarizeService}. */
export interface SummarizeServiceOptions {
  /** The service's own identity, for app-only callers. Exactly one of `auth` and `onBehalfOf`. */
  auth?: (RequestAuth & Pick<Auth, 'redact' | 'status'>) | undefined;
  /**
   * Acting for signed-in users (`inbound.callers: 'users'`): each request calls Azure OpenAI as its
   * caller, with `onBehalfOf.forUser(<the caller's token>)`.
   */
  onBehalfOf?: OnBehalfOf | undefined;
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
 * Azure OpenAI with the service's own identity through keyless's authenticated fetch. Acting for
 * users (`onBehalfOf`), the caller is a signed-in user and the call is made as that user: a user
 * without the role gets 403 saying which assignment to ask for, an expired token 401.
 * `GET /healthz` answers from `auth.status()` without calling anything: 200 when ready (a valid
 * token cached, or the last token request succeeded), 503 otherwise; the status details only to
 * a caller with a token the service accepts. Bad input gets a 4xx; an
 * upstream auth failure a 502 whose explanation goes to the log (never a token).
 */
export function createSummarizeService(options: SummarizeServiceOptions): Server {
  const obo = options.onBehalfOf;
  const own = options.auth;
  if ((own === undefined) === (obo === undefined)) {
    throw new Error(
      'createSummarizeService: pass exactly one of auth (the service acts as itself) and onBehalfOf (it acts for its users).',
    );
  }
  const fetchAs = (auth: RequestAuth) =>
    createAuthorizedFetch(auth, { origin: options.endpoint, otherOrigins: 'refuse' });
  const serviceFetch = own === undefined ? undefined : fetchAs(own);
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
    // Acting for the caller: the user's own Auth (cached per user by keyless), for this request.
    const user = obo?.forUser(verdict.token);
    const redact = (text: string) => (user ?? own)?.redact(text) ?? text;
    const upstream = await (user === undefined ? (serviceFetch as typeof fetch) : fetchAs(user))(url, {
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
      const detail = redact(await upstream.text());
      options.log(`upstream ${upstream.status}: ${detail}`);
      if (user !== undefined) refuseForUser(upstream.headers.get('x-keyless-error-code'), verdict.caller, res);
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
      // Acting for users there is no token of the service's own to hold: ready once serving.
      const status = own?.status() ?? { ready: true };
      const details = own === undefined ? { onBehalfOf: { users: obo?.size ?? 0 } } : { auth: status };
      const summary = { status: status.ready ? 'ok' : 'not ready' };
      if (req.headers.authorization === undefined) return send(res, status.ready ? 200 : 503, summary);
      verifyCaller(req.headers.authorization, options.inbound).then(
        (verdict) => send(res, status.ready ? 200 : 503, verdict.ok ? { ...summary, ...details } : summary),
        () => send(res, status.ready ? 200 : 503, summary),
      );
      return;
    }
    if (req.method === 'POST' && path === '/summarize') {
      summarize(req, res).then(
        (result) => send(res, 200, result),
        (error: unknown) => {
          if (error instanceof HttpError) return send(res, error.status, { error: error.message });
          const text = error instanceof Error ? error.message : String(error);
          options.log(`summarize failed: ${own?.redact(text) ?? obo?.redact(text) ?? text}`);
          send(res, 502, { error: 'upstream call failed; see the service log' });
        },
      );
      return;
    }
    send(res, 404, { error: 'not found: use POST /summarize or GET /healthz' });
  });
}

/**
 * What a user whose call keyless could not make is told (the details are in the log): an expired
 * or refused token is theirs to renew (401); a missing role or consent is an admin's to grant
 * (403, naming the assignment for their own object id).
 */
function refuseForUser(
  code: string | null,
  caller: { oid: string; upn?: string | undefined },
  res: ServerResponse,
): void {
  const who = `${caller.upn === undefined ? '' : `${caller.upn}, `}oid ${caller.oid}`;
  if (code === 'USER_ASSERTION_REJECTED') {
    res.setHeader('www-authenticate', 'Bearer error="invalid_token", error_description="sign in again"');
    throw new HttpError(401, 'Entra ID refused your token for this call: sign in again');
  }
  if (code === 'CONSENT_REQUIRED') {
    throw new HttpError(
      403,
      'this API has no consent to call Azure OpenAI for you yet: an admin grants it (see the service log)',
    );
  }
  if (code === 'PERMISSION_DENIED') {
    throw new HttpError(
      403,
      `you (${who}) have no role on the Azure OpenAI resource that allows this call. An admin grants it: az role assignment create --role "Cognitive Services OpenAI User" --assignee-object-id ${caller.oid} --assignee-principal-type User --scope <resource id>`,
    );
  }
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
