import { strategyFor } from '@keyless/test-suites';
import { flushPromises, ManualClock, startEmulator } from '@keyless/testing';
import { context, metrics, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAuthorizedFetch } from '../src/adapter.js';
import { type AccessToken, createAuth, KeylessError } from '../src/index.js';

// The real OpenTelemetry SDK, registered globally as an application would.
const spans = new InMemorySpanExporter();
const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metricExporter, exportIntervalMillis: 3_600_000 });
beforeAll(() => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: spans })] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
});
beforeEach(() => {
  spans.reset();
});

const HOUR = 3_600_000;
const CANARY_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.canary-token-payload.canary-signature';
const CANARY_SECRET = 'canary-secret-value~0123456789abcdef';

/** A TokenCredential we script: tokens an hour long from the injected clock, or failures. */
function scripted(clock: ManualClock, answers: Array<'token' | Error>) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    credential: {
      getToken: async (): Promise<AccessToken> => {
        const answer = answers[Math.min(calls, answers.length - 1)];
        calls += 1;
        // A library span (as @azure/identity's instrumentation makes), to show it nests.
        trace.getTracer('library').startSpan('ScriptedCredential.getToken').end();
        if (answer instanceof Error) throw answer;
        return { token: CANARY_TOKEN, expiresOnTimestamp: clock.now() + HOUR };
      },
    },
  };
}

const acquireSpans = () => spans.getFinishedSpans().filter((span) => span.name === 'keyless.token.acquire');

async function collected(name: string): Promise<Array<{ attributes: Record<string, unknown>; value: unknown }>> {
  const { resourceMetrics } = await reader.collect();
  const metric = resourceMetrics.scopeMetrics
    .filter((scope) => scope.scope.name === '@keyless/core')
    .flatMap((scope) => scope.metrics)
    .find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((point) => ({ attributes: point.attributes, value: point.value }));
}

describe('OpenTelemetry: keyless.token.acquire spans', () => {
  it('records one span per token request (cold start), with its attributes, and none for cache hits', async () => {
    const clock = new ManualClock();
    const source = scripted(clock, ['token']);
    const auth = createAuth({ kind: 'credential', credential: source.credential }, { clock });
    await auth.getToken();
    await auth.getToken();
    const [span, ...others] = acquireSpans();
    expect(others).toHaveLength(0);
    expect(span?.attributes).toMatchObject({
      'keyless.strategy': 'credential',
      'keyless.refresh.reason': 'cold',
      'keyless.attempt': 1,
      'keyless.token.expires_in_s': 3600,
    });
    expect(span?.status.code).toBe(0); // UNSET: success
    const library = spans.getFinishedSpans().find((s) => s.name === 'ScriptedCredential.getToken');
    expect(library?.parentSpanContext?.spanId).toBe(span?.spanContext().spanId);
  });

  it('records one span for 1,000 concurrent cold callers', async () => {
    const clock = new ManualClock();
    const source = scripted(clock, ['token']);
    const auth = createAuth({ kind: 'credential', credential: source.credential }, { clock });
    await Promise.all(Array.from({ length: 1_000 }, () => auth.getToken()));
    expect(acquireSpans()).toHaveLength(1);
    expect(source.calls).toBe(1);
  });

  it('records the background refresh in the soft window with its reason', async () => {
    const clock = new ManualClock();
    const auth = createAuth({ kind: 'credential', credential: scripted(clock, ['token']).credential }, { clock });
    await auth.getToken();
    clock.advance(HOUR - 4 * 60_000);
    await auth.getToken();
    await flushPromises();
    expect(acquireSpans().map((s) => s.attributes['keyless.refresh.reason'])).toEqual(['cold', 'background']);
  });

  it('records a failure as an ERROR span with error.type, then the retry after backoff as attempt 2', async () => {
    const clock = new ManualClock();
    const down = Object.assign(new Error('token endpoint answered 503'), { statusCode: 503 });
    const auth = createAuth(
      { kind: 'credential', credential: scripted(clock, [down, 'token']).credential },
      { clock, random: () => 0 },
    );
    await expect(auth.getToken()).rejects.toBeInstanceOf(KeylessError);
    const status = auth.status();
    expect(status).toMatchObject({ ready: false, tokenCached: false, consecutiveFailures: 1 });
    expect(status.lastRefresh).toMatchObject({ outcome: 'error' });
    expect(status.nextAttemptAt).toBe(clock.now() + 500);
    clock.advance(500);
    await auth.getToken();
    const [failed, recovered] = acquireSpans();
    expect(failed?.status.code).toBe(2); // ERROR
    expect(failed?.attributes['error.type']).toBe(failed?.status.message);
    expect(String(failed?.attributes['error.type'])).toMatch(/^[A-Z_]+$/);
    expect(recovered?.attributes['keyless.attempt']).toBe(2);
    expect(auth.status()).toMatchObject({
      ready: true,
      tokenCached: true,
      consecutiveFailures: 0,
      expiresInSeconds: 3600,
    });
  });
});

describe('OpenTelemetry: metrics', () => {
  it('counts token requests by outcome and records their duration', async () => {
    const clock = new ManualClock();
    const auth = createAuth(
      {
        kind: 'credential',
        credential: scripted(clock, [new KeylessError('TOKEN_REQUEST_FAILED', 'no', { status: 400 }), 'token'])
          .credential,
      },
      { clock, random: () => 0 },
    );
    const before = await collected('keyless.token.requests');
    const count = (points: typeof before, outcome: string) =>
      points
        .filter((p) => p.attributes.outcome === outcome && p.attributes['keyless.strategy'] === 'credential')
        .reduce((sum, p) => sum + Number(p.value), 0);
    await auth.getToken().catch(() => undefined);
    clock.advance(1_000);
    await auth.getToken();
    const after = await collected('keyless.token.requests');
    expect(count(after, 'ok') - count(before, 'ok')).toBe(1);
    expect(count(after, 'error') - count(before, 'error')).toBe(1);
    expect(after.find((p) => p.attributes.outcome === 'error')?.attributes['error.type']).toBe('TOKEN_REQUEST_FAILED');
    const durations = await collected('keyless.token.request.duration');
    expect(durations.some((p) => (p.value as { count: number }).count >= 1)).toBe(true);
  });

  it('reports the seconds left on each cached token as keyless.token.expires_in', async () => {
    const clock = new ManualClock();
    const auth = createAuth({ kind: 'credential', credential: scripted(clock, ['token']).credential }, { clock });
    await auth.getToken();
    clock.advance(600_000);
    const points = await collected('keyless.token.expires_in');
    expect(points.map((p) => p.value)).toContain(3000);
  });

  describe('through the data plane', () => {
    let emulator: Awaited<ReturnType<typeof startEmulator>>;
    beforeAll(async () => {
      emulator = await startEmulator();
    });
    afterAll(() => emulator.close());
    const secretAuth = () => createAuth(strategyFor('msalSecret', emulator));
    const chat = (auth: ReturnType<typeof secretAuth>) =>
      createAuthorizedFetch(auth, { origin: emulator.openaiEndpoint })(
        `${emulator.openaiEndpoint}/openai/deployments/${emulator.deployments.chat}/chat/completions?api-version=${emulator.apiVersion}`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"messages":[{"role":"user","content":"hi"}]}',
        },
      );
    const total = async (name: string) => (await collected(name)).reduce((sum, p) => sum + Number(p.value), 0);

    it('counts a 401 answered with a refresh and one retry, and a PermissionDenied', async () => {
      const auth = secretAuth();
      expect((await chat(auth)).status).toBe(200);
      const retries = await total('keyless.auth.retries');
      emulator.revokeTokens();
      expect((await chat(auth)).status).toBe(200);
      expect((await total('keyless.auth.retries')) - retries).toBe(1);
      expect((await collected('keyless.auth.retries'))[0]?.attributes['keyless.retry.class']).toBe('invalid_token');
      const denied = await total('keyless.auth.denied');
      emulator.removeRole(emulator.client.objectId);
      try {
        expect((await chat(auth)).status).toBe(401);
      } finally {
        emulator.grantRole(emulator.client.objectId);
      }
      expect((await total('keyless.auth.denied')) - denied).toBe(1);
    });
  });
});

describe('OpenTelemetry: nothing secret', () => {
  it('puts no token, secret or error message in any span, event, status or metric', async () => {
    const clock = new ManualClock();
    const leaky = new Error(`invalid_client: the secret ${CANARY_SECRET} was wrong, token ${CANARY_TOKEN}`);
    const auth = createAuth(
      { kind: 'credential', credential: scripted(clock, [leaky, 'token']).credential },
      { clock, random: () => 0 },
    );
    await auth.getToken().catch(() => undefined);
    clock.advance(2_000);
    await auth.getToken();
    const exported = JSON.stringify(
      spans.getFinishedSpans().map((s) => ({ a: s.attributes, e: s.events, st: s.status, n: s.name, l: s.links })),
    );
    const { resourceMetrics } = await reader.collect();
    const everything = `${exported}${JSON.stringify(resourceMetrics)}${JSON.stringify(auth.status())}`;
    for (const canary of [CANARY_TOKEN, CANARY_SECRET, 'canary-token-payload', 'was wrong']) {
      expect(everything).not.toContain(canary);
    }
  });
});
