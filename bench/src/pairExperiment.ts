import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shareBenchCertificate } from './lib/benchEnv.js';
import { pairedRounds } from './lib/pairedRounds.js';
import { meanInterval, median } from './lib/stats.js';
import { startServingWorker, startWorkerProcess } from './lib/worker.js';

// `node bench/dist/pairExperiment.js "<baseline subject>" "<subject>" [--process-pairs=4] [--rounds=12]`:
// the paired measurement of section 3 for any two throughputWorker subjects, printed rather than
// written to BENCHMARKS.md. For the experiments that name a cause (BENCHMARKS.md, section 3).
const [baseline = '', subject = ''] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const option = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const processPairs = option('process-pairs', 4);
const roundsPerProcess = option('rounds', 12);
const windowMs = 500;
interface Window {
  requestsPerSecond: number;
  cpuMicrosPerRequest: number;
  failed: number;
  gcPerThousandRequests: number;
  majorGcInWindow: number;
  gcMicrosPerRequest: number;
  newSpaceBytes: number;
}
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !/^(AZURE_|IDENTITY_|MSI_|KEYLESS_|OPENAI_)/.test(name)),
);
const dir = mkdtempSync(join(tmpdir(), 'keyless-pair-'));
await shareBenchCertificate(dir, env);
const server = await startWorkerProcess<Record<string, unknown>>('emulatorServer', env, 1);
const measured: Array<{ a: Window; b: Window }> = [];
// One mean per pair of processes: rounds within a pair share that pair's offset, so the spread
// across pairs is what tells whether a difference outlives a restart.
const perProcessPair: Array<{ ratio: number; cpu: number }> = [];
try {
  for (let processes = 0; processes < processPairs; processes++) {
    const [base, other] = await Promise.all(
      [baseline, subject].map((s) =>
        startServingWorker<Window>(
          'throughputWorker',
          [s, '32'],
          { ...env, KEYLESS_BENCH_EMULATOR: JSON.stringify(server.result) },
          0,
        ),
      ),
    );
    if (base === undefined || other === undefined) throw new Error('no workers');
    const first = measured.length;
    try {
      measured.push(...(await pairedRounds(base, other, roundsPerProcess, windowMs)));
    } finally {
      await Promise.all([base.stop(), other.stop()]);
    }
    const mine = measured.slice(first);
    perProcessPair.push({
      ratio: meanInterval(mine.map(({ a, b }) => b.requestsPerSecond / a.requestsPerSecond)).mean,
      cpu: meanInterval(mine.map(({ a, b }) => b.cpuMicrosPerRequest / a.cpuMicrosPerRequest - 1)).mean,
    });
  }
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
const ratio = meanInterval(measured.map(({ a, b }) => b.requestsPerSecond / a.requestsPerSecond));
const cpu = meanInterval(measured.map(({ a, b }) => b.cpuMicrosPerRequest / a.cpuMicrosPerRequest - 1));
const byPair = meanInterval(perProcessPair.map((p) => p.ratio));
const cpuByPair = meanInterval(perProcessPair.map((p) => p.cpu));
const failed = measured.reduce((n, { a, b }) => n + a.failed + b.failed, 0);
console.log(
  `${baseline} → ${subject}: throughput ${ratio.mean.toFixed(3)}× ± ${ratio.half.toFixed(3)}, CPU ${(cpu.mean * 100).toFixed(1)}% ± ${(cpu.half * 100).toFixed(1)} (µs/request ${median(measured.map((m) => m.a.cpuMicrosPerRequest)).toFixed(0)} / ${median(measured.map((m) => m.b.cpuMicrosPerRequest)).toFixed(0)}), failed ${failed}`,
);
console.log(
  `  over ${perProcessPair.length} pairs of processes: throughput ${byPair.mean.toFixed(3)}× ± ${byPair.half.toFixed(3)}, CPU ${(cpuByPair.mean * 100).toFixed(1)}% ± ${(cpuByPair.half * 100).toFixed(1)}; per pair ${perProcessPair.map((p) => p.ratio.toFixed(3)).join(' ')}`,
);
const side = (pick: (m: { a: Window; b: Window }) => Window) => {
  const m = (f: (w: Window) => number) => median(measured.map((x) => f(pick(x))));
  return `GC ${m((w) => w.gcPerThousandRequests).toFixed(1)}/1000 requests, ${m((w) => w.gcMicrosPerRequest).toFixed(1)} µs/request, major per window ${m((w) => w.majorGcInWindow)}, new space ${(m((w) => w.newSpaceBytes) / 2 ** 20).toFixed(1)} MB`;
};
console.log(`  baseline: ${side((x) => x.a)}\n  subject:  ${side((x) => x.b)}`);
