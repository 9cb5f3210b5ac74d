import type { RefreshReason } from '../events.js';
import { otelApi, otelApiIfLoaded, otelRegistered } from './otelApi.js';

/** The instrumentation scope of every span and metric keyless records. */
export const INSTRUMENTATION_SCOPE = '@keyless/core';

/** What one token request is, for its span and metrics. Never holds a secret. */
export interface TokenRequestInfo {
  strategy: string;
  reason: RefreshReason;
  attempt: number;
}

/** How a token request ended: the seconds left on the token, or the KeylessError code. */
export type TokenRequestOutcome = { ok: true; expiresInSeconds: number | undefined } | { ok: false; errorType: string };

/** Something the metrics' observable gauge can read: one Auth's cached token. */
export interface ObservedAuth {
  readonly strategy: string;
  readonly scope: string;
  readonly instance: number;
  /** Seconds left on the cached token; undefined without one. */
  expiresInSeconds(): number | undefined;
}

/**
 * Runs one token request inside a `keyless.token.acquire` span (so a credential library's own
 * spans nest under it) and records `keyless.token.requests` and `keyless.token.request.duration`.
 * Costs one check when no SDK is registered (nothing is imported); never runs on a cache hit.
 */
export async function observeTokenRequest<T>(
  info: TokenRequestInfo,
  auth: ObservedAuth,
  run: () => Promise<T>,
  outcomeOf: (result: { value: T } | { error: unknown }) => TokenRequestOutcome,
): Promise<T> {
  // No SDK registered: nothing would be recorded, so nothing is imported or awaited.
  if (!otelRegistered()) return run();
  const api = await otelApi();
  if (api === undefined) return run();
  watchExpiry(api, auth);
  const attributes = {
    'keyless.strategy': info.strategy,
    'keyless.refresh.reason': info.reason,
    'keyless.attempt': info.attempt,
  };
  const tracer = api.trace.getTracer(INSTRUMENTATION_SCOPE);
  const started = performance.now();
  return tracer.startActiveSpan('keyless.token.acquire', { kind: api.SpanKind.CLIENT, attributes }, async (span) => {
    const finish = (outcome: TokenRequestOutcome) => {
      const meter = api.metrics.getMeter(INSTRUMENTATION_SCOPE);
      const metricAttributes = {
        'keyless.strategy': info.strategy,
        outcome: outcome.ok ? 'ok' : 'error',
        ...(outcome.ok ? {} : { 'error.type': outcome.errorType }),
      };
      meter
        .createCounter('keyless.token.requests', { description: 'Token requests made (never cache hits).' })
        .add(1, metricAttributes);
      meter
        .createHistogram('keyless.token.request.duration', {
          description: 'Duration of token requests.',
          unit: 's',
        })
        .record((performance.now() - started) / 1000, metricAttributes);
      if (outcome.ok) {
        if (outcome.expiresInSeconds !== undefined) {
          span.setAttribute('keyless.token.expires_in_s', outcome.expiresInSeconds);
        }
      } else {
        span.setAttribute('error.type', outcome.errorType);
        // The code only: a message could name a tenant or a path, never worth the risk in a span.
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: outcome.errorType });
      }
      span.end();
    };
    try {
      const value = await run();
      finish(outcomeOf({ value }));
      return value;
    } catch (error) {
      finish(outcomeOf({ error }));
      throw error;
    }
  });
}

/** A 401 that keyless answered with a refresh and one retry (`invalid_token` or `claims`). */
export function recordAuthRetry(strategy: string, kind: 'invalid_token' | 'claims' | 'audience'): void {
  otelApiIfLoaded()
    ?.metrics.getMeter(INSTRUMENTATION_SCOPE)
    .createCounter('keyless.auth.retries', { description: '401s answered with a token refresh and one retry.' })
    .add(1, { 'keyless.strategy': strategy, 'keyless.retry.class': kind });
}

/** A PermissionDenied answer (the principal lacks the role): explained, never retried. */
export function recordAuthDenied(strategy: string): void {
  otelApiIfLoaded()
    ?.metrics.getMeter(INSTRUMENTATION_SCOPE)
    .createCounter('keyless.auth.denied', { description: 'PermissionDenied answers (a missing role).' })
    .add(1, { 'keyless.strategy': strategy });
}

// Auths whose cached token the gauge reports, held weakly so that an Auth can be collected.
const watched = new Set<WeakRef<ObservedAuth>>();
const isWatched = new WeakSet<ObservedAuth>();
const registered = new WeakSet<object>();
let nextInstance = 0;

/** A process-unique number for an Auth's gauge series. */
export function nextAuthInstance(): number {
  nextInstance += 1;
  return nextInstance;
}

/**
 * Adds `auth` to the `keyless.token.expires_in` observable gauge, registering the gauge once
 * per meter provider (an SDK registered after the first Auth still gets it).
 */
function watchExpiry(api: NonNullable<Awaited<ReturnType<typeof otelApi>>>, auth: ObservedAuth): void {
  if (!isWatched.has(auth)) {
    isWatched.add(auth);
    watched.add(new WeakRef(auth));
  }
  const provider = api.metrics.getMeterProvider();
  if (registered.has(provider)) return;
  registered.add(provider);
  api.metrics
    .getMeter(INSTRUMENTATION_SCOPE)
    .createObservableGauge('keyless.token.expires_in', {
      description: 'Seconds left on the cached token, per Auth.',
      unit: 's',
    })
    .addCallback((result) => {
      for (const ref of watched) {
        const live = ref.deref();
        if (live === undefined) {
          watched.delete(ref);
          continue;
        }
        const seconds = live.expiresInSeconds();
        if (seconds === undefined) continue;
        result.observe(seconds, {
          'keyless.strategy': live.strategy,
          'keyless.scope': live.scope,
          'keyless.auth.instance': live.instance,
        });
      }
    });
}
