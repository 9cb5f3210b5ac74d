/** What the token cache reports. Events carry no token, key or secret: safe to log as they are. */
export type AuthEvent =
  | {
      type: 'refresh-started';
      reason: RefreshReason;
      attempt: number;
    }
  | {
      type: 'token-acquired';
      /** Epoch ms at which the token expires. */
      expiresOn: number;
      /** Epoch ms from which keyless refreshes it in the background. */
      refreshAfter: number;
      /** True when the token arrived after invalidate() and was dropped. */
      discarded: boolean;
    }
  | {
      type: 'refresh-failed';
      reason: RefreshReason;
      attempt: number;
      /** Stable code of the (redacted) error. */
      code: string;
      /** The redacted error message. */
      message: string;
      /** Whether a still-valid token keeps being served, so no request fails. */
      servingCachedToken: boolean;
      /** Milliseconds before keyless tries again in the background. */
      retryInMs: number;
    }
  | { type: 'invalidated' }
  | {
      /**
       * A sibling Auth for another scope was made (`forScope`): the endpoint calls for it (a
       * Foundry project), or the resource named that audience in a 401.
       */
      type: 'scope-selected';
      scope: string;
    }
  | {
      /**
       * A 401 (or a claims challenge) asked for another forced refresh too soon after the last
       * one: the token was kept and the failure goes to the caller. The resource rejects fresh
       * tokens, which another one would not change.
       */
      type: 'refresh-paced';
      /** Why the refresh was asked for. */
      reason: 'invalidated' | 'claims';
      /** Milliseconds before keyless will force a refresh again. */
      retryInMs: number;
    }
  | {
      /** What happened at the shared cache (`sharedCache`): see the core README, "Running many instances". */
      type: 'shared-cache';
      outcome: 'hit' | 'waited' | 'miss' | 'stored' | 'lease-timeout' | 'unreadable' | 'unavailable' | 'removed';
      /** For `unavailable`: why (redacted). */
      message?: string;
      /** For `unavailable`: when the store is tried again (ms). */
      retryInMs?: number;
    };

/**
 * Why a token request was made: no token yet, background (soft window), blocking (hard window),
 * expired, after invalidate() (a 401), or a claims challenge.
 */
export type RefreshReason = 'cold' | 'background' | 'blocking' | 'expired' | 'invalidated' | 'claims';

/** A subscriber to {@link AuthEvent}s. */
export type AuthEventListener = (event: AuthEvent) => void;

/** A tiny listener set: no EventEmitter, so nothing here can throw an 'error' event at callers. */
export class EventHub {
  readonly #listeners = new Set<AuthEventListener>();

  on(listener: AuthEventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: AuthEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener must not break token acquisition.
      }
    }
  }
}
