import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * Exports traces and metrics over OTLP/HTTP with the official exporters when the standard
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (they read it, and the other OTEL_* variables, themselves):
 * keyless's `keyless.token.acquire` spans and `keyless.*` metrics then reach the collector.
 * Returns the function that flushes and stops them; a no-op when the variable is not set.
 */
export function setupTelemetry(env: NodeJS.ProcessEnv): () => Promise<void> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) return async () => {};
  const resource = resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? 'keyless-summarizer' });
  const tracing = new TracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })],
  });
  // Spans started inside a span (a credential library's, under keyless's) nest through async code.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(tracing);
  const reader = new PeriodicExportingMetricReader({
    exporter: new OTLPMetricExporter(),
    exportIntervalMillis: 60_000,
  });
  const meters = new MeterProvider({ resource, readers: [reader] });
  metrics.setGlobalMeterProvider(meters);
  return async () => {
    await Promise.all([tracing.forceFlush(), meters.forceFlush()]);
    await Promise.all([tracing.shutdown(), meters.shutdown()]);
    trace.disable();
    metrics.disable();
    context.disable();
  };
}
