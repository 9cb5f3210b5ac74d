/** When a token is due (rules 1 and 2 of the token cache), as times since it was acquired. */
export interface RefreshWindows {
  /** The token's whole lifetime from acquisition. */
  lifetimeMs: number;
  /** From here one caller starts a background refresh; the others keep the token. */
  softAtMs: number;
  /** From here callers wait for the refresh. */
  hardAtMs: number;
}

/**
 * The windows of a token that lives `lifetimeMs` from now: the soft window at the issuer's hint
 * (`hintInMs`, its `refresh_in`) or `refreshMarginMs` before expiry (at most half the lifetime),
 * the hard window `hardWindowMs` before expiry (at most a quarter), the soft never after the hard.
 */
export function refreshWindows(
  lifetimeMs: number,
  hintInMs: number | undefined,
  settings: { refreshMarginMs: number; hardWindowMs: number },
): RefreshWindows {
  const margin = Math.min(settings.refreshMarginMs, lifetimeMs / 2);
  const hardAtMs = lifetimeMs - Math.min(settings.hardWindowMs, lifetimeMs / 4);
  const softAtMs = Math.min(hintInMs === undefined ? lifetimeMs - margin : Math.max(0, hintInMs), hardAtMs);
  return { lifetimeMs, softAtMs, hardAtMs };
}
