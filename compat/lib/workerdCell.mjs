import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { npmInstall, run, say } from './shell.mjs';

// The bundler and the workerd host of the workerd cell.
const WORKERD_TOOLS = ['esbuild@0.28.2', 'miniflare@4.20260730.0'];
const workerdDir = fileURLToPath(new URL('../workerd/', import.meta.url));

/**
 * The workerd cell, in a project where the tarballs are installed: what runs there today must
 * work; what does not yet is listed with its reason (compat/workerd/runWorkerd.mjs decides which).
 */
export async function runWorkerdCell(dir, node, result) {
  await npmInstall(node, dir, WORKERD_TOOLS);
  for (const file of readdirSync(workerdDir)) writeFileSync(join(dir, file), readFileSync(join(workerdDir, file)));
  const out = await run(node, ['runWorkerd.mjs'], { cwd: dir, timeoutMs: 180_000 }).catch(
    (error) => error.output ?? '',
  );
  const line = out.split('\n').find((text) => text.startsWith('[{'));
  if (line === undefined) {
    result.failed += 1;
    result.error = out.slice(-3000);
    return;
  }
  const cases = JSON.parse(line);
  result.passed = cases.filter((c) => c.expected === 'works' && c.ok).length;
  result.failed = cases.filter((c) => c.expected === 'works' && !c.ok).length;
  result.notYet = cases.filter((c) => c.expected !== 'works');
  result.nodeVersion = `workerd (miniflare ${WORKERD_TOOLS[1].split('@')[1]})`;
  for (const c of cases)
    say(`  workerd: ${c.ok ? 'ok  ' : c.expected === 'works' ? 'FAIL' : 'not yet'} ${c.name}: ${c.detail}`);
  if (result.failed > 0)
    result.error = cases
      .filter((c) => c.expected === 'works' && !c.ok)
      .map((c) => `${c.name}: ${c.detail}`)
      .join('\n');
}
