import type { KeyObject } from 'node:crypto';
import { nodeCrypto } from '../internal/nodeBuiltins.js';

/** What a shared entry holds once unsealed. */
export interface SharedEntry {
  token: string;
  /** Epoch ms. */
  expiresOnTimestamp: number;
  /** Epoch ms from which the producing process would refresh it. */
  refreshAfterTimestamp: number;
}

/** The two keys a fleet's one secret is split into: one seals entries, the other names them. */
export interface SharedCacheKeys {
  readonly sealing: KeyObject;
  readonly naming: KeyObject;
}

// k2: HKDF subkeys, a 12-byte IV and a 16-byte tag required. Entries of k1 (one raw key for both
// jobs, any tag length) no longer open: they miss and are replaced.
const VERSION = 'k2';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const SALT = Buffer.from('keyless shared token cache');

/**
 * Derives the sealing and naming keys from the store's 32-byte secret with HKDF-SHA256, so that
 * no key serves both AES-GCM and HMAC. The derived bytes live only inside KeyObjects, which
 * `inspect` and `JSON.stringify` never print.
 */
export function deriveSharedCacheKeys(secret: KeyObject | Uint8Array): SharedCacheKeys {
  const { createSecretKey, hkdfSync } = nodeCrypto();
  const master = secret instanceof Uint8Array ? createSecretKey(Buffer.from(secret)) : secret;
  const derive = (info: string) => {
    const bytes = Buffer.from(hkdfSync('sha256', master, SALT, info, 32));
    const key = createSecretKey(bytes);
    bytes.fill(0);
    return key;
  };
  return { sealing: derive(`${VERSION} seal`), naming: derive(`${VERSION} name`) };
}

/**
 * Seals an entry with AES-256-GCM: `k2.<iv>.<ciphertext>.<tag>` (base64url), with the cache key as
 * additional data, so an entry moved to another key does not open either.
 */
export function sealEntry(entry: SharedEntry, keys: SharedCacheKeys, cacheKey: string): string {
  const { createCipheriv, randomBytes } = nodeCrypto();
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.sealing, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(cacheKey));
  const body = Buffer.concat([cipher.update(JSON.stringify(entry), 'utf8'), cipher.final()]);
  return [VERSION, iv, body, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/**
 * Opens a sealed entry; undefined when it does not authenticate (tampered, truncated tag, another
 * IV length, another key, garbage). The tag length is pinned: GCM would otherwise accept a tag
 * cut to 4 bytes, which a store writer forges against 2^-32.
 */
export function openEntry(sealed: string, keys: SharedCacheKeys, cacheKey: string): SharedEntry | undefined {
  try {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) return undefined;
    const [iv, body, tag] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined;
    const decipher = nodeCrypto().createDecipheriv('aes-256-gcm', keys.sealing, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(cacheKey));
    decipher.setAuthTag(tag);
    const text = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
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
 * The name of an identity's entry: an HMAC (with the naming key) over what makes the token what
 * it is (authority, tenant, client id, scope). No id is readable in the store.
 */
export function cacheKeyOf(parts: readonly string[], keys: SharedCacheKeys): string {
  return nodeCrypto().createHmac('sha256', keys.naming).update(parts.join('\n')).digest('base64url');
}
