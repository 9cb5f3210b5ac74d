import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { EmulatorState, StoredFile } from './emulatorState.js';
import { sendJson } from './http.js';

/** `/openai/files` (with `?api-version=`) and `/openai/v1/files`. */
export const FILES_PATH = /^\/openai\/(?:v1\/)?files$/;

/**
 * `POST /openai/files`: a multipart upload with the fields `purpose` and `file`, parsed by the
 * platform's own multipart reader (what undici's `Response.formData()` accepts, Azure accepts).
 */
export async function uploadFile(
  state: EmulatorState,
  res: ServerResponse,
  contentType: string | undefined,
  body: Buffer,
): Promise<number> {
  let form: FormData;
  try {
    if (!contentType?.startsWith('multipart/form-data')) throw new Error('not multipart');
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return badRequest(res, 'The request must be multipart/form-data with the fields "purpose" and "file".');
  }
  const file = form.get('file');
  const purpose = form.get('purpose');
  if (typeof purpose !== 'string' || purpose === '') return badRequest(res, "Missing required parameter: 'purpose'.");
  if (file === null || typeof file === 'string') return badRequest(res, "Missing required parameter: 'file'.");
  const stored: StoredFile = {
    id: `file-${randomUUID().replaceAll('-', '')}`,
    filename: file.name,
    purpose,
    bytes: file.size,
    createdAt: Math.floor(state.now() / 1000),
  };
  state.files.set(stored.id, stored);
  state.counters.fileUploads += 1;
  sendJson(res, 200, fileObject(stored));
  return 200;
}

/** `GET /openai/files`: every uploaded file, newest first. */
export function listFiles(state: EmulatorState, res: ServerResponse): number {
  const data = [...state.files.values()].reverse().map(fileObject);
  sendJson(res, 200, { object: 'list', data, has_more: false });
  return 200;
}

function fileObject(file: StoredFile): Record<string, unknown> {
  return {
    id: file.id,
    object: 'file',
    bytes: file.bytes,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
  };
}

function badRequest(res: ServerResponse, message: string): number {
  sendJson(res, 400, { error: { code: 'invalidPayload', message } });
  return 400;
}
