import type { AddressInfo } from 'node:net';
import { printReport, resolveTarget } from '@keyless/app-shared';
import { onBehalfOfFromEnv } from '@keyless/core';
import { createSummarizeService } from './createSummarizeService.js';
import { inboundFromEnv } from './inboundFromEnv.js';
import { runDemo } from './runDemo.js';
import { setupTelemetry } from './setupTelemetry.js';
import { summarizerEnvOf } from './summarizerEnv.js';

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
// Against the embedded emulator, the summarizer's own settings come from it (unless set).
for (const [name, value] of Object.entries(target.emulator === undefined ? {} : summarizerEnvOf(target.emulator)))
  process.env[name] ??= value;
const inbound = await inboundFromEnv(process.env, target.ca).catch(fail);
// Acting for users (SUMMARIZER_ON_BEHALF_OF=true): the app registration exchanges each caller's
// token; otherwise the service's own identity, whose first token is fetched now (ready to serve).
const onBehalfOf = inbound.callers === 'users' ? onBehalfOfFromEnv({ ca: target.ca }) : undefined;
if (onBehalfOf === undefined) {
  await target.auth.getRequestHeaders().catch((error: unknown) => fail(target.auth.redact(String(error))));
}
const server = createSummarizeService({
  ...target,
  ...(onBehalfOf === undefined ? {} : { auth: undefined, onBehalfOf }),
  inbound,
  log: (line) => console.error(`[service] ${line}`),
});
await new Promise<void>((resolve) => server.listen(demo ? 0 : Number(process.env.PORT ?? 8080), '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(
  `service-to-service listening on ${base} (${target.mode}, ${onBehalfOf === undefined ? target.auth.kind : 'on behalf of its users'})`,
);

if (demo) {
  try {
    if (target.auth.kind === 'apiKey' && onBehalfOf === undefined) {
      throw new Error(
        'the caller hop needs an Entra identity (managed identity, a service principal, workload identity…): an API key cannot get a token for the summarizer',
      );
    }
    printReport(await runDemo(base, inbound, process.env));
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
