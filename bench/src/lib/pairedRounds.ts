/** A warm client process that measures one window on request (see startServingWorker). */
interface Measures<W> {
  run: (ms: number) => Promise<W>;
}

/**
 * `rounds` rounds of one window per client, the baseline first in even rounds and second in odd
 * ones, so that drift (thermal, other load) falls on both alike. Section 3's unit of measurement.
 */
export async function pairedRounds<W>(
  base: Measures<W>,
  other: Measures<W>,
  rounds: number,
  windowMs: number,
): Promise<Array<{ a: W; b: W }>> {
  const measured: Array<{ a: W; b: W }> = [];
  for (let round = 0; round < rounds; round++) {
    const a = round % 2 === 0 ? await base.run(windowMs) : undefined;
    const b = await other.run(windowMs);
    measured.push({ a: a ?? (await base.run(windowMs)), b });
  }
  return measured;
}
