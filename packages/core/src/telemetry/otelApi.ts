/**
 * `@opentelemetry/api`, an optional peer: imported once, the first time a token is requested while
 * an SDK is registered (never on a cache hit), and `undefined` when it is not installed.
 */
export type OtelApi = typeof import('@opentelemetry/api');

let loading: Promise<OtelApi | undefined> | undefined;
let loaded: OtelApi | undefined;

/** The API, importing it on first use. */
export function otelApi(): Promise<OtelApi | undefined> {
  loading ??= import('@opentelemetry/api').then(
    (api) => {
      // The ESM namespace of a CommonJS build: the API lives on `default` in some loaders.
      loaded = api.trace === undefined ? (api as unknown as { default: OtelApi }).default : api;
      return loaded;
    },
    () => undefined,
  );
  return loading;
}

// Where @opentelemetry/api 1.x keeps the providers an SDK registers (one object per process).
const GLOBAL = Symbol.for('opentelemetry.js.api.1');

/**
 * Whether an OpenTelemetry SDK has registered a tracer or meter provider, read without importing
 * anything: without one there is nothing to record, so a token request does not wait for an import.
 */
export function otelRegistered(): boolean {
  const registry = (globalThis as Record<symbol, { trace?: unknown; metrics?: unknown } | undefined>)[GLOBAL];
  return registry?.trace !== undefined || registry?.metrics !== undefined;
}

/** The API if it has been imported already (for counters recorded outside a token request). */
export function otelApiIfLoaded(): OtelApi | undefined {
  if (loaded === undefined && otelRegistered()) void otelApi();
  return loaded;
}
