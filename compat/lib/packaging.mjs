import { writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { prefixOf } from './runtimes.mjs';
import { npmCli, npmInstall, run, say } from './shell.mjs';

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
export async function checkPackaging(dir, node) {
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
  // @types/json-schema: @ai-sdk/provider's declarations import it without depending on it, and
  // this check reads every library's declarations (skipLibCheck: false).
  await npmInstall(node, dir, ['typescript@5.9.3', '@types/node@20', '@types/json-schema']);
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
export async function checkRuntimeConsumer(dir, cell, runtime) {
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
