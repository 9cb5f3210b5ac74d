/** The most of an answer keyless reads into memory: token responses, error bodies, JWKS. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The body of `response` as text, or undefined when it is larger than `limit` bytes: then reading
 * stops at the limit and the stream is cancelled, so a hostile or broken server cannot make
 * keyless buffer more than that.
 */
export async function readLimitedText(response: Response, limit = MAX_BODY_BYTES): Promise<string | undefined> {
  if (response.body === null) return '';
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) {
    response.body.cancel().catch(() => {});
    return undefined;
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: cancelling one branch of a clone() settles only once the other is cancelled
      // too, and the other is the caller's to read or drop.
      reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
