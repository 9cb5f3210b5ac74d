import type { IncomingMessage, ServerResponse } from 'node:http';

/** Reads a request body as text (bounded: the emulator never needs more than 4 MiB). */
export async function readBody(req: IncomingMessage, limit = 4 * 1024 * 1024): Promise<string> {
  return (await readBytes(req, limit)).toString('utf8');
}

/** Reads a request body as bytes (multipart uploads), bounded like {@link readBody}. */
export async function readBytes(req: IncomingMessage, limit = 4 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Sends a JSON answer with the given status and extra headers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
