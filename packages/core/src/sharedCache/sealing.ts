import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** What a shared entry holds once unsealed. */
export interface SharedEntry {
  token: string;
  /** Epoch ms. */
  expiresOnTimestamp: number;
  /** Epoch ms from which the producing process would refresh it. */
  refreshAfterTimestamp: number;
}

const VERSION = 'k1';

/**
 * Seals an entry with AES-256-GCM: `k1.<iv>.<ciphertext>.<tag>` (base64url), with the cache key as
 * additional data, so an entry moved to another key does not open either.
 */
export function sealEntry(entry: SharedEntry, encryptionKey: Uint8Array, cacheKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
  cipher.setAAD(Buffer.from(cacheKey));
  const body = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
  return [VERSION, iv, body, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Opens a sealed entry; undefined when it does not authenticate (tampered, another key, garbage). */
export function openEntry(sealed: string, encryptionKey: Uint8Array, cacheKey: string): SharedEntry | undefined {
  try {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== VERSION || iv === undefined || body === undefined || tag === undefined) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(cacheKey));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    const entry = JSON.parse(text) as Partial<SharedEntry>;
    if (
      typeof entry.token !== 'string' ||
      typeof entry.expiresOnTimestamp !== 'number' ||
      typeof entry.refreshAfterTimestamp !== 'number'
    ) {
      return undefined;
    }
    return entry as SharedEntry;
  } catch {
    return undefined;
  }
}

/**
 * The name of an identity's entry: an HMAC (keyed with the encryption key) over what makes the
 * token what it is (authority, tenant, client id, scope). No id is readable in the store.
 */
export function cacheKeyOf(parts: readonly string[], encryptionKey: Uint8Array): string {
  return createHmac('sha256', encryptionKey).update(parts.join('\n')).digest('base64url');
}
