import type { Auth, AuthKind, AuthStatus, GetTokenCallOptions } from './auth.js';
import type { EventHub } from './events.js';
import { loadedTokenRuntime, loadTokenRuntime, type TokenRuntime } from './internal/loadTokenRuntime.js';
import { readyHeaders, withReadyHeaders } from './internal/readyHeaders.js';
import { redactText } from './redact.js';
import { NO_TOKEN_STATUS } from './tokenCache/tokenCacheOptions.js';

/** What a token Auth answers before its token cache exists: validated, named, observable. */
export interface TokenAuthFacts {
  kind: AuthKind;
  scope: string;
  scopeExplicit: boolean;
  forScope: (scope: string) => Auth;
  /** The hub the built Auth reports to: listeners added before it exists are kept. */
  events: EventHub;
  /** The values to redact (the source's, ambient ones included), read at each call. */
  secrets: () => readonly string[];
}

/**
 * A token Auth whose token cache lives in the token runtime (`src/tokenRuntime.ts`, loaded on
 * its own so that importing core and an API key never parse it). Built at once when the runtime
 * has loaded, which is every Auth but those made before the first import finished; until then a
 * stand-in answers what needs no token (status: nothing yet, invalidate: nothing to drop, events,
 * redaction) and hands every call that needs one to the Auth `build` makes when the import ends.
 * Settings were validated by the caller, so nothing `build` does can throw for bad input.
 */
export function tokenAuth(facts: TokenAuthFacts, build: (runtime: TokenRuntime) => Auth): Auth {
  const runtime = loadedTokenRuntime();
  if (runtime !== undefined) return build(runtime);

  const { kind, events } = facts;
  let built: Auth | undefined;
  // Started now, beside the application's own start-up; awaited by the first token request.
  const ready = loadTokenRuntime().then((loaded) => {
    const real = build(loaded);
    built = real;
    // Who reads the methods from now on calls the built Auth's own (a hit costs no extra call).
    Object.assign(auth, {
      getToken: real.getToken,
      tokenProvider: real.tokenProvider,
      getRequestHeaders: real.getRequestHeaders,
      invalidate: real.invalidate,
      status: real.status,
    });
    return real;
  });
  // No caller may be waiting yet: a failed import is seen by the calls that need a token.
  ready.catch(() => undefined);
  // Each method checks `built` first: a reference taken before the import ended (an SDK's token
  // provider) keeps working at the built Auth's speed.
  const auth: Auth = {
    kind,
    scope: facts.scope,
    scopeExplicit: facts.scopeExplicit,
    forScope: facts.forScope,
    getToken: (call?: GetTokenCallOptions) =>
      built === undefined ? ready.then((real) => real.getToken(call)) : built.getToken(call),
    tokenProvider: () => (built === undefined ? ready.then((real) => real.tokenProvider()) : built.tokenProvider()),
    getRequestHeaders: (call?: GetTokenCallOptions) =>
      built === undefined ? ready.then((real) => real.getRequestHeaders(call)) : built.getRequestHeaders(call),
    invalidate: (token) => built?.invalidate(token) ?? false,
    on: (listener) => events.on(listener),
    redact: (text) => redactText(text, facts.secrets()),
    status: (): AuthStatus => built?.status() ?? { strategy: kind, ...NO_TOKEN_STATUS, ready: false },
  };
  return withReadyHeaders(auth, () => (built === undefined ? undefined : readyHeaders(built)));
}
