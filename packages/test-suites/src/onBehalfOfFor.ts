import type { OnBehalfOfOptions } from '@keyless/core';
import type { Emulator } from '@keyless/testing';

/** createOnBehalfOf's options for the emulator's registered client, acting as a web API. */
export function onBehalfOfFor(emulator: Emulator, extra: Partial<OnBehalfOfOptions> = {}): OnBehalfOfOptions {
  return {
    tenantId: emulator.tenantId,
    clientId: emulator.client.clientId,
    clientSecret: emulator.client.clientSecret,
    authorityHost: emulator.authorityHost,
    ca: emulator.caCertificate,
    ...extra,
  } as OnBehalfOfOptions;
}

/** The `oid` in the bearer token a request carries, as it leaves keyless for the network. */
export function bearerOidOf(input: RequestInfo | URL, init: RequestInit | undefined): string | undefined {
  const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
  const token = headers.get('authorization')?.replace(/^Bearer /i, '');
  if (token === undefined) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      oid?: unknown;
    };
    return typeof claims.oid === 'string' ? claims.oid : undefined;
  } catch {
    return undefined;
  }
}
