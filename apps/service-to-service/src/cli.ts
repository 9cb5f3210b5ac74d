import type { AddressInfo } from 'node:net';
import { printReport, resolveTarget } from '@keyless/app-shared';
import { authFromEnv } from '@keyless/core';
import { createAuthenticatedFetch } from '@keyless/fetch';
import { createSummarizeService } from './createSummarizeService.js';
import { inboundFromEnv } from './inboundFromEnv.js';
import { setupTelemetry } from './setupTelemetry.js';

// `node dist/cli.js` serves on PORT (default 8080); it refuses to start without
// AZURE_OPENAI_ENDPOINT unless `--emulator` asks for the embedded emulator. `--demo` serves on an
// ephemeral port, calls itself as a second service would (an Entra token for the summarizer's own
// audience, through keyless), checks that a call without a token is refused, reports and exits:
// what the main job runs.
const demo = process.argv.includes('--demo');
// Before any token request: keyless's spans and metrics go to whatever SDK is registered then.
const stopTelemetry = setupTelemetry(process.env);
const fail = (error: unknown): never => {
  console.error(`service-to-service: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
};
const target = await resolveTarget(process.env, { emulator: process.argv.includes('--emulator') }).catch(fail);
const inbound = await inboundFromEnv(process.env, target.ca).catch(fail);
// Ready before serving: the first token is fetched now, so /healthz answers 200 from the start.
await target.auth.getRequestHeaders().catch((error: unknown) => fail(target.auth.redact(String(error))));
const server = createSummarizeService({ ...target, inbound, log: (line) => console.error(`[service] ${line}`) });
await new Promise<void>((resolve) => server.listen(demo ? 0 : Number(process.env.PORT ?? 8080), '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(`service-to-service listening on ${base} (${target.mode}, ${target.auth.kind})`);

if (demo) {
  try {
    if (target.auth.kind === 'apiKey') {
      throw new Error(
        'the caller hop needs an Entra identity (managed identity, a service principal, workload identity…): an API key cannot get a token for the summarizer',
      );
    }
    // The calling service: its own identity (here the same variables), a token for the summarizer.
    const caller = authFromEnv(process.env, { scope: `${inbound.audience}/.default` });
    const callSummarizer = createAuthenticatedFetch(caller, { origin: base, otherOrigins: 'refuse' });
    const health = await fetch(`${base}/healthz`);
    const anonymous = await fetch(`${base}/summarize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'no token' }),
    });
    const summary = await callSummarizer(`${base}/summarize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'keyless auth for services' }),
    });
    const summaryBody = (await summary.json()) as { summary?: string; error?: string };
    console.log(
      `healthz ${health.status}; without a token ${anonymous.status} (${anonymous.headers.get('www-authenticate')}); summarize ${summary.status}: ${summaryBody.summary ?? summaryBody.error}`,
    );
    printReport({
      ok: health.status === 200 && anonymous.status === 401 && summary.status === 200,
      calls: 1,
      summary: `caller token → summarize ${summary.status}; anonymous ${anonymous.status}`,
    });
  } catch (error) {
    printReport({ ok: false, calls: 0, summary: 'failed', error: target.auth.redact(String(error)) });
    process.exitCode = 1;
  } finally {
    server.close();
    await Promise.all([target.close(), stopTelemetry()]);
  }
} else {
  const stop = () =>
    server.close(() => void Promise.all([target.close(), stopTelemetry()]).then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
