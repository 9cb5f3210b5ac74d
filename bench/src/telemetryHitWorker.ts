import { register } from 'node:module';
import { measure } from 'mitata';
import { report } from './lib/worker.js';

// Scenario 1b: the cache-hit cost with OpenTelemetry absent (the API package cannot be resolved),
// with the API only (no SDK registered: its no-op tracer and meter), and with the real SDK
// registered. keyless touches OpenTelemetry only per token request, so a hit should cost the same.
const [mode = 'api', quickFlag] = process.argv.slice(2);
const quick = quickFlag === '--quick';

if (mode === 'absent') {
  // As if @opentelemetry/api were not installed: every import of it fails to resolve.
  register(
    `data:text/javascript,${encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === '@opentelemetry/api') {
    throw Object.assign(new Error("Cannot find package '@opentelemetry/api'"), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`)}`,
  );
}

let finishedSpans = (): number => Number.NaN;
if (mode === 'sdk') {
  const { context, metrics, trace } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = await import('@opentelemetry/sdk-trace');
  const { MeterProvider, InMemoryMetricExporter, AggregationTemporality, PeriodicExportingMetricReader } = await import(
    '@opentelemetry/sdk-metrics'
  );
  const spans = new InMemorySpanExporter();
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }));
  const reader = new PeriodicExportingMetricReader({
    exporter: new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE),
    exportIntervalMillis: 3_600_000,
  });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  finishedSpans = () => spans.getFinishedSpans().filter((span) => span.name === 'keyless.token.acquire').length;
}

const { createAuth } = await import('@keyless/core');
const auth = createAuth({
  kind: 'credential',
  credential: { getToken: async () => ({ token: 'bench.token.value', expiresOnTimestamp: Date.now() + 3_600_000 }) },
});
await auth.getRequestHeaders(); // the one token request: its span, where an SDK is registered
const options = quick ? { min_cpu_time: 50e6, max_samples: 2_000 } : { min_cpu_time: 1_000e6 };
const stats = await measure(() => auth.getRequestHeaders(), options);
// The same process's floor: an SDK's context manager (async hooks) taxes every promise alike.
const constant = async () => 'static-token';
const floor = await measure(constant, options);
report({ mode, p50: stats.p50, avg: stats.avg, p99: stats.p99, floorP50: floor.p50, spans: finishedSpans() });
