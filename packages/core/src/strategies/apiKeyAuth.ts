import type { Auth } from '../auth.js';
import { KeylessError } from '../errors.js';
import type { EventHub } from '../events.js';
import { registerApiKey } from '../internal/apiKeyRegistry.js';
import { withReadyHeaders } from '../internal/readyHeaders.js';
import { redactText } from '../redact.js';
import { NO_TOKEN_STATUS } from '../tokenCache/tokenCacheOptions.js';
import { requireText } from '../validate.js';

/**
 * The Auth of the `apiKey` strategy: one `api-key` header (and a gateway's, if any), no token,
 * no cache. The key is registered for the SDK helpers that must hand it to an SDK as a key.
 */
export function apiKeyAuth(
  key: unknown,
  scope: string,
  events: EventHub,
  gateway: Readonly<Record<string, string>> | undefined,
): Auth {
  const value = requireText('apiKey', 'key', key);
  const headerValues = Object.freeze({ ...gateway, 'api-key': value });
  const headers = Promise.resolve(headerValues);
  const refuse = () =>
    Promise.reject(
      new KeylessError(
        'UNSUPPORTED_OPERATION',
        'apiKey: an API-key auth has no bearer token. Use getRequestHeaders(), or a token strategy such as managedIdentity.',
      ),
    );
  const auth: Auth = {
    kind: 'apiKey',
    scope,
    scopeExplicit: false,
    // A key has no audience: the same key whatever the scope.
    forScope: () => auth,
    getRequestHeaders: () => headers,
    getToken: refuse,
    tokenProvider: refuse,
    invalidate: () => false,
    on: (listener) => events.on(listener),
    redact: (text) => redactText(text, [value, ...(gateway === undefined ? [] : Object.values(gateway))]),
    status: () => ({ strategy: 'apiKey', ready: true, ...NO_TOKEN_STATUS }),
  };
  registerApiKey(auth, value);
  return withReadyHeaders(auth, () => headerValues);
}
