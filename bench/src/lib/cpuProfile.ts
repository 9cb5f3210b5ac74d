import { Session } from 'node:inspector/promises';

/** Where a V8 CPU profile's samples fell, in microseconds of self time. */
export interface ProfileBreakdown {
  /** keyless's own code (`@keyless/*` packages). */
  keyless: number;
  /** undici, the HTTP client behind Node's fetch. */
  undici: number;
  /** Node's other internals (streams, timers, promises glue, net). */
  node: number;
  /** Garbage collection. */
  gc: number;
  /** Native work not attributed to a JavaScript function (`(program)`), and everything else. */
  other: number;
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string } }>;
  samples?: number[];
  timeDeltas?: number[];
}

/**
 * Runs `work` under V8's CPU profiler (the sampler behind `node --cpu-prof`, driven through the
 * inspector so that only the measured window is profiled, not start-up), and returns the profile
 * and where its non-idle samples fell.
 */
export async function profile<T>(
  work: () => Promise<T>,
): Promise<{ result: T; breakdown: ProfileBreakdown; cpuprofile: unknown }> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const result = await work();
    const { profile: cpuprofile } = (await session.post('Profiler.stop')) as { profile: CpuProfile };
    return { result, breakdown: breakdownOf(cpuprofile), cpuprofile };
  } finally {
    session.disconnect();
  }
}

/** Self time per category: each sample's delta goes to the function it landed in. */
export function breakdownOf(cpuprofile: CpuProfile): ProfileBreakdown {
  const category = new Map<number, keyof ProfileBreakdown | 'idle'>();
  for (const node of cpuprofile.nodes) category.set(node.id, categorize(node.callFrame));
  const breakdown: ProfileBreakdown = { keyless: 0, undici: 0, node: 0, gc: 0, other: 0 };
  const samples = cpuprofile.samples ?? [];
  const deltas = cpuprofile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const where = category.get(samples[i] ?? -1) ?? 'other';
    if (where !== 'idle') breakdown[where] += Math.max(0, deltas[i] ?? 0);
  }
  return breakdown;
}

function categorize({ functionName, url }: { functionName: string; url: string }): keyof ProfileBreakdown | 'idle' {
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'gc';
  if (/[/\\](?:@keyless|packages)[/\\](?:core|fetch|openai)[/\\]/.test(url)) return 'keyless';
  if (url.includes('undici')) return 'undici';
  if (url.startsWith('node:')) return 'node';
  return 'other';
}
