import { KeylessError } from './errors.js';

/** Throws CONFIG_INVALID unless `value` is a non-empty string without surrounding whitespace. */
export function requireText(component: string, setting: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new KeylessError('CONFIG_INVALID', `${component}: ${setting} is missing or empty. Set ${setting}.`);
  }
  if (value.trim() !== value || /[\s\x00-\x1f\x7f]/.test(value)) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `${component}: ${setting} contains whitespace or control characters (often a stray newline from a file or a copy). Remove them.`,
      { secrets: [value] },
    );
  }
  return value;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i;

/** A tenant is a GUID or a verified domain (contoso.onmicrosoft.com). */
export function requireTenantId(component: string, setting: string, value: unknown): string {
  const tenant = requireText(component, setting, value);
  if (!GUID.test(tenant) && !DOMAIN.test(tenant)) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `${component}: ${setting} "${tenant.slice(0, 64)}" is not a tenant id. Use the Directory (tenant) ID GUID, or a verified domain such as contoso.onmicrosoft.com.`,
    );
  }
  return tenant;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Parses an endpoint URL: https anywhere, http only on loopback (local emulators), no
 * credentials or query in it. Returns the URL without a trailing slash.
 */
export function requireEndpoint(component: string, setting: string, value: unknown): URL {
  const text = requireText(component, setting, value);
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `${component}: ${setting} is not a URL. Use the resource endpoint, e.g. https://my-resource.openai.azure.com.`,
      { cause: error },
    );
  }
  if (url.username !== '' || url.password !== '') {
    throw new KeylessError(
      'CONFIG_INVALID',
      `${component}: ${setting} contains credentials. Remove the user:password@ part; keyless sends credentials as headers.`,
      { secrets: [url.username, url.password] },
    );
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new KeylessError(
      'CONFIG_INVALID',
      `${component}: ${setting} must use https (http is allowed only for localhost/127.0.0.1). Use the https:// endpoint so that tokens and keys are never sent in clear.`,
    );
  }
  return url;
}

/**
 * Throws CONFIG_INVALID unless `value` is undefined or a finite number of milliseconds, at least
 * `min`. NaN (e.g. `Number(process.env.UNSET)`) would otherwise make every comparison false.
 */
export function requireDuration(component: string, setting: string, value: unknown, min = 0): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    const shown = typeof value === 'number' ? String(value) : typeof value;
    throw new KeylessError(
      'CONFIG_INVALID',
      `${component}: ${setting} must be a finite number of milliseconds${min > 0 ? ` of at least ${min}` : ' (0 or more)'}, not ${shown}. Remove it for the default, or pass a number (a value read from an unset variable is NaN).`,
    );
  }
  return value;
}
