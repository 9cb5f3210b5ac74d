// The workerd cell (run by compat/run.mjs with Node, in a project holding the packed tarballs):
// starts the emulator, bundles worker.mjs with esbuild for workerd (platform node: every `node:`
// built-in left to nodejs_compat, no list of externals), runs it in miniflare and asks each case.
// Prints one JSON line: [{ name, expected, ok, detail }]. Exits 1 if a case expected to work did not.
import { readFileSync } from 'node:fs';
import { startEmulator } from '@keyless/testing';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';

// What runs on workerd today, and what does not yet, with the reason (an issue of its own).
const CASES = [
  { name: 'fetch-apiKey', expected: 'works' },
  { name: 'openai-apiKey', expected: 'works' },
  {
    name: 'fetch-msalSecret',
    expected: 'not yet',
    reason:
      'the Entra strategies run on @azure/msal-node, a Node library: bundled for workerd it calls require() on Node built-ins at run time (the error above), and its network client is node:http/node:https, where workerd has fetch',
  },
];

const emulator = await startEmulator();
let miniflare;
try {
  await build({
    entryPoints: ['worker.mjs'],
    bundle: true,
    format: 'esm',
    platform: 'node',
    conditions: ['workerd', 'worker'],
    outfile: 'dist/worker.mjs',
    logLevel: 'error',
  });
  const env = emulator.env('msalSecret');
  miniflare = new Miniflare({
    // The bundle as one module, given as it is: a bundle's import() of an optional package it
    // does not use (kerberos, under https-proxy-agent) is workerd's to meet at run time, if ever.
    modules: [{ type: 'ESModule', path: 'worker.mjs', contents: readFileSync('dist/worker.mjs', 'utf8') }],
    compatibilityDate: '2026-07-01',
    compatibilityFlags: ['nodejs_compat'],
    bindings: {
      ...env,
      AZURE_OPENAI_API_KEY: emulator.apiKey,
      CA_CERTIFICATE: readFileSync(env.NODE_EXTRA_CA_CERTS, 'utf8'),
    },
  });
  const results = [];
  for (const c of CASES) {
    const before = emulator.counters.dataPlane.apiKey;
    const answer = await (await miniflare.dispatchFetch(`http://worker/${c.name}`)).json();
    // A case works only if its request reached the data plane with one credential and was answered.
    const reached = c.name.endsWith('apiKey') ? emulator.counters.dataPlane.apiKey - before === 1 : true;
    const ok = answer.ok === true && reached && /^Echo: |^token of/.test(answer.answer);
    results.push({
      name: c.name,
      expected: c.expected,
      ok,
      detail: ok ? answer.answer : `${answer.error ?? answer.answer}${c.reason ? ` (${c.reason})` : ''}`,
    });
  }
  if (emulator.counters.dataPlane.both !== 0) throw new Error('a request carried both an api-key and a bearer');
  console.log(JSON.stringify(results));
  process.exitCode = results.some((r) => r.expected === 'works' && !r.ok) ? 1 : 0;
} finally {
  await miniflare?.dispose();
  await emulator.close();
}
