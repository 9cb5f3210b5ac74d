import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Runs the CLI to its end (bounded); its exit code and output. */
function runToEnd(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { timeout: 45_000 }, (_e, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

/** Starts the CLI and resolves with its output once the readiness line is printed (bounded). */
function startUntilReady(args: string[]): Promise<{ child: ChildProcess; stdout: string; ready: string }> {
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`no readiness line within 45 s: ${stdout}`)), 45_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = stdout.split('\n').find((line) => line.startsWith('keyless-emulator: ready '));
      if (ready !== undefined) {
        clearTimeout(timer);
        resolve({ child, stdout, ready });
      }
    });
    child.on('exit', (code) => reject(new Error(`exited ${code} before ready: ${stdout}`)));
  });
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

// Each test starts a process that generates keys and certificates: generous on a loaded machine.
describe('keyless-emulator, as a CI step uses it', { timeout: 60_000 }, () => {
  it('--help prints the usage and exits 0 without starting anything', async () => {
    const { code, stdout } = await runToEnd(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: keyless-emulator \[options\]/);
    expect(stdout).toContain('--strategy NAME');
    expect(stdout).not.toMatch(/^keyless-emulator: ready http/m);
  });

  it('refuses an unknown option or strategy with exit 2, naming it', async () => {
    const unknown = await runToEnd(['--prot', '8080']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("'--prot'");
    expect(unknown.stderr).toContain('See --help');
    const strategy = await runToEnd(['--strategy', 'msi']);
    expect(strategy.code).toBe(2);
    expect(strategy.stderr).toContain('--strategy msi is not one of apiKey, managedIdentity');
    const port = await runToEnd(['--port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('--port must be a whole number');
  });

  it('listens on the ports asked for, prints one strategy and the readiness line, and answers there', async () => {
    const [port, authorityPort] = [await freePort(), await freePort()];
    const { stdout, ready } = await startUntilReady([
      '--port',
      String(port),
      '--authority-port',
      String(authorityPort),
      '--strategy',
      'apiKey',
    ]);
    expect(ready).toBe(`keyless-emulator: ready http://127.0.0.1:${port} https://127.0.0.1:${authorityPort}`);
    expect(stdout).toContain('# apiKey');
    expect(stdout).not.toContain('# managedIdentity');
    const key = /export AZURE_OPENAI_API_KEY="([^"]+)"/.exec(stdout)?.[1];
    const answer = await fetch(
      `http://127.0.0.1:${port}/openai/deployments/gpt-4o-mini/chat/completions?api-version=2024-10-21`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'api-key': String(key) },
        body: JSON.stringify({ messages: [{ role: 'user', content: 'from CI' }] }),
      },
    );
    expect(answer.status).toBe(200);
  });

  it('writes an env file for a strategy, and exits 0 on SIGTERM', async () => {
    const file = join(tmpdir(), `keyless-emulator-${process.pid}.env`);
    try {
      const { child, stdout } = await startUntilReady(['--strategy', 'msalSecret', '--write-env', file]);
      expect(stdout).toContain(`Variables for msalSecret written to ${file}`);
      expect(stdout).not.toContain('AZURE_CLIENT_SECRET');
      const text = await readFile(file, 'utf8');
      expect(text).toMatch(/^AZURE_CLIENT_SECRET=\S+$/m);
      expect(text).toMatch(/^KEYLESS_STRATEGY=msalConfidentialClient$/m);
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await rm(file, { force: true });
    }
  });
});
