// Built by tsup into one flat dist/ folder: workers are siblings of the chunk holding this code.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RESULT = 'BENCH_RESULT ';

/** Prints a worker's result for the parent to read. */
export function report(result: unknown): void {
  console.log(`${RESULT}${JSON.stringify(result)}`);
}

/**
 * Runs `dist/<name>.js` in a fresh node process (fresh module cache, fresh msal-node statics) and
 * returns the result it reported. Bounded by `timeoutMs`.
 */
export function runWorker<T>(name: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<T> {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || line === undefined) {
        reject(new Error(`bench worker ${name} ${args.join(' ')} failed (exit ${code}): ${err.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line.slice(RESULT.length)) as T);
    });
  });
}

/** A long-lived worker (the emulator server): resolves with its first report, and a stop function. */
export function startWorkerProcess<T>(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<{ result: T; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${name} exited early (${code})`)));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (line === undefined) return;
      child.removeAllListeners('exit');
      resolve({
        result: JSON.parse(line.slice(RESULT.length)) as T,
        stop: () =>
          new Promise<void>((done) => {
            child.on('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
