// Built by tsup into one flat dist/ folder: workers are siblings of the chunk holding this code.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const RESULT = 'BENCH_RESULT ';

/** Prints a worker's result for the parent to read. */
export function report(result: unknown): void {
  console.log(`${RESULT}${JSON.stringify(result)}`);
}

/**
 * Runs `dist/<name>.js` in a fresh node process (fresh module cache, fresh msal-node statics) and
 * returns the result it reported. Bounded by `timeoutMs`; pinned to `cpu` when given and possible.
 */
export function runWorker<T>(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 180_000,
  cpu?: number,
): Promise<T> {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return new Promise((resolve, reject) => {
    const [command, argv] = nodeCommand(['--expose-gc', script, ...args], cpu);
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
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

/** Whether `taskset` can pin a process to a core here (util-linux; absent on some machines). */
export const canPin: boolean = (() => {
  try {
    return spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  } catch {
    return false;
  }
})();

/** The command that runs `args` with node, pinned to `cpu` when given and possible. */
function nodeCommand(args: string[], cpu: number | undefined): [string, string[]] {
  return cpu !== undefined && canPin
    ? ['taskset', ['-c', String(cpu), process.execPath, ...args]]
    : [process.execPath, args];
}

/** A long-lived worker (the emulator server): resolves with its first report, and a stop function. */
export function startWorkerProcess<T>(
  name: string,
  env: NodeJS.ProcessEnv,
  cpu?: number,
): Promise<{ result: T; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  return new Promise((resolve, reject) => {
    const [command, args] = nodeCommand([script], cpu);
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'inherit'] });
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

/**
 * A worker that stays up and measures on request: `run(ms)` writes `run <ms>` to its stdin and
 * resolves with the next result it reports. Pinned to `cpu` when possible. Every wait is bounded.
 */
export async function startServingWorker<T>(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  cpu?: number,
): Promise<{
  run: (ms: number) => Promise<T>;
  /** The same window under the CPU profiler (workers that answer `profile <ms>`). */
  profile: <P>(ms: number) => Promise<P>;
  /** `requests` requests under the heap sampler (workers that answer `alloc <requests>`). */
  allocations: <P>(requests: number) => Promise<P>;
  stop: () => Promise<void>;
}> {
  const script = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const [command, argv] = nodeCommand([script, ...args], cpu);
  const child = spawn(command, argv, { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: Array<(line: string) => void> = [];
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    let newline = out.indexOf('\n');
    while (newline >= 0) {
      const line = out.slice(0, newline);
      out = out.slice(newline + 1);
      if (line.startsWith(RESULT)) waiting.shift()?.(line.slice(RESULT.length));
      newline = out.indexOf('\n');
    }
  });
  const next = (timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} ${args.join(' ')}: no result in ${timeoutMs} ms`)),
        timeoutMs,
      );
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  await next(60_000); // ready: set up and warmed
  return {
    run: async (ms) => {
      const result = next(ms + 30_000);
      child.stdin.write(`run ${ms}\n`);
      return JSON.parse(await result) as T;
    },
    profile: async <P>(ms: number) => {
      const result = next(ms + 30_000);
      child.stdin.write(`profile ${ms}\n`);
      return JSON.parse(await result) as P;
    },
    allocations: async <P>(requests: number) => {
      const result = next(120_000);
      child.stdin.write(`alloc ${requests}\n`);
      return JSON.parse(await result) as P;
    },
    stop: () =>
      new Promise<void>((done) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        child.on('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.stdin.end();
        child.kill('SIGTERM');
      }),
  };
}

/**
 * `count` fleetWorker processes started at once: each builds its Auth and says it is ready, then
 * all are told "go" together and report their first token. Every wait is bounded (60 s).
 */
export async function runFleet<T>(count: number, args: string[], env: NodeJS.ProcessEnv): Promise<T[]> {
  const script = fileURLToPath(new URL('./fleetWorker.js', import.meta.url));
  const children = Array.from({ length: count }, () => {
    const child = spawn(process.execPath, [script, ...args], { env, stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: string[] = [];
    const waiting: Array<(line: string) => void> = [];
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (let at = out.indexOf('\n'); at >= 0; at = out.indexOf('\n')) {
        const line = out.slice(0, at);
        out = out.slice(at + 1);
        if (!line.startsWith(RESULT)) continue;
        const next = waiting.shift();
        if (next === undefined) lines.push(line.slice(RESULT.length));
        else next(line.slice(RESULT.length));
      }
    });
    const next = () =>
      new Promise<string>((resolve, reject) => {
        const queued = lines.shift();
        if (queued !== undefined) return resolve(queued);
        const timer = setTimeout(
          () => reject(new Error(`fleetWorker ${args.join(' ')}: no report within 60 s`)),
          60_000,
        );
        waiting.push((line) => {
          clearTimeout(timer);
          resolve(line);
        });
      });
    return { child, next };
  });
  try {
    await Promise.all(children.map(({ next }) => next()));
    for (const { child } of children) child.stdin.write('go\n');
    return await Promise.all(children.map(async ({ next }) => JSON.parse(await next()) as T));
  } finally {
    for (const { child } of children) {
      child.stdin.end();
      if (child.exitCode === null) setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }
  }
}
