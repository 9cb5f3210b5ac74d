import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where each test case writes its measured figures; scripts/writeReport.mjs turns them into RELIABILITY.md. */
export const RESULTS_DIR = fileURLToPath(new URL('../.results/', import.meta.url));

/** One row of the RELIABILITY.md table. */
export interface Figure {
  /** R1…R8, or E for the endpoint/token checks. */
  id: string;
  /** What was checked. */
  check: string;
  /** What was measured, in words and numbers. */
  measured: string;
  /** `users`: a row of the "What users see" table (check = "scenario | adapter", measured = its cells). */
  table?: 'users' | undefined;
}

/** Records a figure (one file per id + check, so parallel test files never collide). */
export function recordFigure(figure: Figure): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  // A readable prefix, and a hash of the whole check so that long checks never share a file.
  const digest = createHash('sha256').update(figure.check).digest('hex').slice(0, 10);
  const name = `${figure.id}-${figure.check.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}-${digest}.json`;
  writeFileSync(`${RESULTS_DIR}${name}`, JSON.stringify(figure));
}
