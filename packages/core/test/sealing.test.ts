import { createSecretKey, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cacheKeyOf, deriveSharedCacheKeys, openEntry, sealEntry } from '../src/sharedCache/sealing.js';

const secret = randomBytes(32);
const keys = deriveSharedCacheKeys(createSecretKey(secret));
const entry = { token: 'eyJ.canary-token.sig', expiresOnTimestamp: 2_000_000_000_000, refreshAfterTimestamp: 1 };
const name = cacheKeyOf(['https://login.example', 'tenant', 'client', 'scope'], keys);

/** The sealed entry's four parts, decoded. */
function parts(sealed: string) {
  const [version, iv, body, tag] = sealed.split('.') as [string, string, string, string];
  return { version, iv: Buffer.from(iv, 'base64url'), body, tag: Buffer.from(tag, 'base64url') };
}
const join = (version: string, iv: Buffer, body: string, tag: Buffer) =>
  [version, iv.toString('base64url'), body, tag.toString('base64url')].join('.');

describe('the shared cache seal', () => {
  it('opens what it sealed, with a 12-byte IV and a 16-byte tag', () => {
    const sealed = sealEntry(entry, keys, name);
    expect(openEntry(sealed, keys, name)).toEqual(entry);
    expect(parts(sealed).iv).toHaveLength(12);
    expect(parts(sealed).tag).toHaveLength(16);
  });

  it.each([12, 8, 4])('refuses the valid tag cut to %i bytes (GCM would check only that many)', (bytes) => {
    const sealed = sealEntry(entry, keys, name);
    const { version, iv, body, tag } = parts(sealed);
    expect(openEntry(join(version, iv, body, tag), keys, name)).toEqual(entry); // the check can pass
    expect(openEntry(join(version, iv, body, tag.subarray(0, bytes)), keys, name)).toBeUndefined();
  });

  it("refuses another entry's IV, an IV of another length, and an entry moved under another name", () => {
    const one = parts(sealEntry(entry, keys, name));
    const two = parts(sealEntry(entry, keys, name));
    expect(openEntry(join(one.version, two.iv, one.body, one.tag), keys, name)).toBeUndefined();
    expect(
      openEntry(join(one.version, Buffer.concat([one.iv, Buffer.alloc(4)]), one.body, one.tag), keys, name),
    ).toBeUndefined();
    const other = cacheKeyOf(['https://login.example', 'tenant', 'another client', 'scope'], keys);
    expect(openEntry(sealEntry(entry, keys, other), keys, name)).toBeUndefined();
    expect(openEntry(sealEntry(entry, keys, name), deriveSharedCacheKeys(randomBytes(32)), name)).toBeUndefined();
  });

  it('seals and names with two different keys derived from the secret, neither of them the secret', () => {
    const sealing = keys.sealing.export();
    const naming = keys.naming.export();
    expect(sealing).toHaveLength(32);
    expect(sealing.equals(naming)).toBe(false);
    expect(sealing.equals(secret)).toBe(false);
    expect(naming.equals(secret)).toBe(false);
    // The same secret, as bytes or as a KeyObject, derives the same keys (every instance agrees).
    expect(deriveSharedCacheKeys(secret).sealing.export().equals(sealing)).toBe(true);
  });

  it('prints no key bytes', () => {
    const shown = `${inspect(keys, { depth: null, showHidden: true })}${JSON.stringify(keys)}`;
    expect(shown).toContain('SecretKeyObject');
    for (const bytes of [secret, keys.sealing.export(), keys.naming.export()]) {
      for (const encoding of ['hex', 'base64', 'base64url'] as const) {
        expect(shown).not.toContain(bytes.toString(encoding).slice(0, 16));
      }
      expect(shown).not.toContain([...bytes.subarray(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join(' '));
    }
  });
});
