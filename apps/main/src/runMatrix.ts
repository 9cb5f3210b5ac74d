import { spawn } from 'node:child_process';
import { type AppReport, parseReport } from '@keyless/app-shared';
import type { Emulator, EmulatorEnvKind } from '@keyless/testing';

/** One sample app the main job runs. */
export interface SampleApp {
  name: string;
  /** Path of its CLI script. */
  script: string;
  args: string[];
  /** Strategies the app cannot run with (the table leaves them out). */
  skip?: EmulatorEnvKind[];
  /** Variables of its own, set up at the emulator before each run (users signed in, say). */
  env?: ((emulator: Emulator) => Promise<Record<string, string>>) | undefined;
}

/** One cell of the table: an app run with one strategy against the emulator. */
export interface Cell {
  app: string;
  strategy: EmulatorEnvKind;
  ok: boolean;
  tokenRequests: number;
  dataPlaneCalls: number;
  ms: number;
  report: AppReport | undefined;
  /** Redacted last lines of output, kept for failed cells. */
  output: string;
}

// Variables that would make a child pick a credential other than the one the cell is about.
const CREDENTIAL_VARIABLES = /^(AZURE_|IDENTITY_|MSI_|KEYLESS_|OPENAI_API_VERSION$|NODE_EXTRA_CA_CERTS$)/;
// (PATH is kept, and replaced by the developerCli cell's own, which puts the stand-in az first.)

/**
 * Runs every app with every strategy, each in its own process (as a deployment would, and because
 * msal-node fixes the managed-identity source per process), counting at the emulator.
 */
export async function runMatrix(
  emulator: Emulator,
  apps: SampleApp[],
  strategies: readonly EmulatorEnvKind[],
  progress: (line: string) => void,
): Promise<Cell[]> {
  const cells: Cell[] = [];
  const runs = apps.flatMap((app) =>
    strategies.filter((strategy) => !app.skip?.includes(strategy)).map((strategy) => ({ app, strategy })),
  );
  const total = runs.length;
  for (const { app, strategy } of runs) {
    progress(`[${cells.length + 1}/${total}] ${app.name} with ${strategy} ...`);
    emulator.resetCounters();
    const env: NodeJS.ProcessEnv = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => !CREDENTIAL_VARIABLES.test(name)),
    );
    Object.assign(env, emulator.env(strategy), await app.env?.(emulator));
    const started = performance.now();
    const { code, output } = await run(process.execPath, [app.script, ...app.args], env);
    const report = parseReport(output);
    const counts = emulator.counters;
    const cell: Cell = {
      app: app.name,
      strategy,
      ok: code === 0 && report?.ok === true && counts.dataPlane.both === 0 && counts.expiredTokensReceived === 0,
      tokenRequests:
        counts.tokenRequests.entra +
        counts.tokenRequests.appService +
        counts.tokenRequests.imds +
        counts.tokenRequests.developerCli,
      dataPlaneCalls: counts.dataPlane.apiKey + counts.dataPlane.bearer,
      ms: Math.round(performance.now() - started),
      report,
      output: output.split('\n').slice(-12).join('\n'),
    };
    cells.push(cell);
    progress(` ${cell.ok ? 'ok' : 'FAILED'} (${cell.ms} ms)\n`);
  }
  return cells;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, output });
    });
  });
}

/** The table the main job prints. */
export function formatTable(cells: Cell[]): string {
  const header = ['app', 'strategy', 'result', 'token requests', 'data-plane calls', 'time (ms)', 'steps'];
  const rows = cells.map((c) => [
    c.app,
    c.strategy,
    c.ok ? 'ok' : 'FAILED',
    String(c.tokenRequests),
    String(c.dataPlaneCalls),
    String(c.ms),
    c.report?.summary ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cols: string[]) => `| ${cols.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
