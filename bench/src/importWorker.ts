import { mkdtempSync, readFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from './lib/worker.js';

// Scenario 4a: cost of a fresh-process import (and, for keyless, creating an apiKey auth).
// With --modules, records every module resolved, to prove that no Azure SDK is loaded.
const [target = ''] = process.argv.slice(2);
let log: string | undefined;
if (process.argv.includes('--modules')) {
  log = join(mkdtempSync(join(tmpdir(), 'keyless-bench-')), 'modules.txt');
  process.env.KEYLESS_BENCH_MODULE_LOG = log;
  const hooks = `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.KEYLESS_BENCH_MODULE_LOG, result.url + '\\n');
  return result;
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

const started = performance.now();
if (target === 'baseline') {
  // The ESM loader's own first-import cost, paid by any import from disk: subtract it.
  await import('./emptyModule.js');
} else if (target === '@keyless/core') {
  const core = await import('@keyless/core');
  core.createAuth({ kind: 'apiKey', key: 'k'.repeat(32) });
} else {
  await import(target);
}
const ms = performance.now() - started;
const modules = log === undefined ? [] : readFileSync(log, 'utf8').split('\n').filter(Boolean);
report({
  target,
  ms,
  azureModules: modules.filter((url) => url.includes('@azure')).length,
  builtins: modules.filter((url) => url.startsWith('node:')),
  modules: modules.length,
});
