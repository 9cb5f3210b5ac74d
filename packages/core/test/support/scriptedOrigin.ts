import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RecordingServer, startRecordingServer } from '@keyless/testing';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { RequestAuth } from '../../src/http/authorizedFetch.js';

// What the authorized-fetch tests share: an origin whose answers each test scripts, a recording
// server standing for another origin, a login page, and an auth we own.

/** Another origin that answers every request with a login page's 401. */
export async function startLoginPage() {
  const login = createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'text/plain' });
    res.end('please sign in');
  });
  await new Promise<void>((resolve) => login.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(login.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => login.close(() => resolve())),
  };
}

/** An auth we own: hands out token-1, token-2… and records what it was asked. */
export function countingAuth(kind: RequestAuth['kind'] = 'managedIdentity') {
  let current = 1;
  const calls = { headers: 0, invalidated: [] as string[], claims: [] as string[] };
  const auth: RequestAuth = {
    kind,
    async getRequestHeaders(options) {
      calls.headers += 1;
      if (options?.claims !== undefined) {
        calls.claims.push(options.claims);
        current += 1;
      }
      return kind === 'apiKey' ? { 'api-key': 'canary-key-123456' } : { authorization: `Bearer token-${current}` };
    },
    invalidate(token) {
      calls.invalidated.push(token);
      if (token === `token-${current}`) current += 1;
      return true;
    },
  };
  return { auth, calls };
}

export type Handler = (
  path: string,
  headers: IncomingHttpHeaders,
  method: string,
) => { status: number; body?: string; headers?: Record<string, string> };

/**
 * The configured origin (answers from `answer`, every request recorded in `seen`, emptied before
 * each test) and another origin (`recorder`), started for the file.
 */
export function useScriptedOrigin(answer: Handler): {
  readonly origin: string;
  readonly recorder: RecordingServer;
  readonly seen: Array<{ path: string; headers: IncomingHttpHeaders; method: string; body: string }>;
} {
  let server: Server;
  let origin: string;
  let recorder: RecordingServer;
  const seen: Array<{ path: string; headers: IncomingHttpHeaders; method: string; body: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({ path: req.url ?? '', headers: req.headers, method: req.method ?? '', body });
        const scripted = answer(req.url ?? '', req.headers, req.method ?? '');
        res.writeHead(scripted.status, scripted.headers ?? {});
        res.end(scripted.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    recorder = await startRecordingServer();
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await recorder.close();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  return {
    get origin() {
      return origin;
    },
    get recorder() {
      return recorder;
    },
    seen,
  };
}
