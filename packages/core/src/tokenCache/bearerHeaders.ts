/** `{ authorization: 'Bearer …' }` (and `extra`), frozen: shared by every caller of one token. */
export function bearerHeaders(
  token: string,
  extra?: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  return Object.freeze({ ...extra, authorization: `Bearer ${token}` });
}
