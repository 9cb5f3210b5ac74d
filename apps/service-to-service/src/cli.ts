import type { AddressInfo } from 'node:net';
import { printReport, resolveTarget } from '@keyless/app-shared';
import { createSummarizeService } from './createSummarizeService.js';

// `node dist/cli.js` serves on PORT (default 8080); it refuses to start without
// AZURE_OPENAI_ENDPOINT unless `--emulator` asks for the embedded emulator. `--demo` serves on an
// ephemeral port, calls itself (health, a summary, bad input), reports and exits: what the main
// job runs.
const demo = process.argv.includes('--demo');
const target = await resolveTarget(process.env, { emulator: process.argv.includes('--emulator') }).catch(
  (error: unknown) => {
    console.error(`service-to-service: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
const server = createSummarizeService({ ...target, log: (line) => console.error(`[service] ${line}`) });
await new Promise<void>((resolve) => server.listen(demo ? 0 : Number(process.env.PORT ?? 8080), '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(`service-to-service listening on ${base} (${target.mode}, ${target.auth.kind})`);

if (demo) {
  try {
    const health = await fetch(`${base}/healthz`);
    const summary = await fetch(`${base}/summarize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'keyless auth for services' }),
    });
    const summaryBody = (await summary.json()) as { summary?: string; error?: string };
    const badInput = await fetch(`${base}/summarize`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    console.log(
      `healthz ${health.status}; summarize ${summary.status}: ${summaryBody.summary ?? summaryBody.error}; bad input ${badInput.status}`,
    );
    printReport({
      ok: health.status === 200 && summary.status === 200 && badInput.status === 415,
      calls: 1,
      summary: `summarize ${summary.status}`,
    });
  } catch (error) {
    printReport({ ok: false, calls: 0, summary: 'failed', error: target.auth.redact(String(error)) });
    process.exitCode = 1;
  } finally {
    server.close();
    await target.close();
  }
} else {
  const stop = () => server.close(() => void target.close().then(() => process.exit(0)));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
