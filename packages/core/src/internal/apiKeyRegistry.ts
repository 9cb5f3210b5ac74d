/**
 * API keys of the Auths `createAuth` built, so `sdkCredential` can hand an SDK the key
 * synchronously. Holding an Auth already gives its key (`getRequestHeaders()`): nothing new leaks.
 * A leaf module: the Auth factory writes here and the adapter kit reads, neither importing the other.
 */
const API_KEYS = new WeakMap<object, string>();

/** Called by createAuth for the apiKey strategy. */
export function registerApiKey(auth: object, key: string): void {
  API_KEYS.set(auth, key);
}

/** The key createAuth registered for `auth`, if it made it. */
export function registeredApiKey(auth: object): string | undefined {
  return API_KEYS.get(auth);
}
