import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs `work` while the machine is loaded: one CPU hasher per core and one writer that fsyncs
 * 1 MiB chunks, each ending by itself after `maxSeconds` (and stopped as soon as `work` ends).
 */
export async function underLoad<T>(cores: number, maxSeconds: number, work: () => Promise<T>): Promise<T> {
  const script = fileURLToPath(new URL('../loadWorker.js', import.meta.url));
  const kinds = [...Array.from({ length: cores }, () => 'cpu'), 'io'];
  const children: ChildProcess[] = kinds.map((kind) => fork(script, [kind, String(maxSeconds)], { stdio: 'ignore' }));
  try {
    // Let the load take hold before the work starts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    return await work();
  } finally {
    for (const child of children) child.kill('SIGKILL');
  }
}
