import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';

// A local OTLP/HTTP receiver (what a collector listens on at :4318), decoding the JSON payloads.
let receiver: Server;
let endpoint: string;
const received: Record<string, unknown[]> = { '/v1/traces': [], '/v1/metrics': [] };

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      received[req.url ?? '']?.push(JSON.parse(text));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => receiver.close(resolve)));

it('exports keyless spans and metrics over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set', {
  timeout: 60_000,
}, async () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, '--demo', '--emulator'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_SERVICE_NAME: 'summarizer-under-test',
        },
        timeout: 50_000,
      },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
  expect(output).toMatch(/summarize 200/);
  const traces = JSON.stringify(received['/v1/traces']);
  const metrics = JSON.stringify(received['/v1/metrics']);
  expect(traces).toContain('"name":"keyless.token.acquire"');
  expect(traces).toContain('summarizer-under-test');
  expect(traces).toMatch(/"key":"keyless.strategy","value":\{"stringValue":"managedIdentity"\}/);
  expect(metrics).toContain('"name":"keyless.token.requests"');
  expect(metrics).toContain('"name":"keyless.token.expires_in"');
  expect(`${traces}${metrics}`).not.toMatch(/eyJ[\w-]{10,}\./);
});
