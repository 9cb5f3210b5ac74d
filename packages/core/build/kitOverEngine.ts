import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

// tsup runs in the package's directory (its config is bundled elsewhere, so no import.meta path).
const ENGINE = resolve('src/engine.ts');
const RUNTIME = resolve('src/tokenRuntime.ts');

/** Leaves the token runtime out of the engine: it is its own file, imported when first needed. */
const runtimeApart = (extension: string): Plugin => ({
  name: 'token-runtime-apart',
  setup(build) {
    build.onResolve({ filter: /tokenRuntime\.js$/ }, (args) =>
      args.kind === 'dynamic-import' && resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')) === RUNTIME
        ? { path: `./tokenRuntime${extension}`, external: true }
        : undefined,
    );
  },
});

/**
 * The build of the three entries, `index` (src/engine.ts), `adapter` (the kit) and `tokenRuntime`
 * (what token strategies run, imported by the engine when the first one is created): in the kit
 * and the runtime, every module that the engine holds is imported from `./index.js` instead of
 * bundled again, so `import '@keyless/core'` loads one module and all three share one engine; the
 * engine imports the runtime from `./tokenRuntime.js` rather than holding it. Fails the build,
 * naming the fix, when the kit or the runtime imports an engine module that `src/engine.ts` does
 * not re-export.
 */
export function kitOverEngine(): Plugin {
  return {
    name: 'kit-over-engine',
    async setup(build) {
      const graph = await build.esbuild.build({
        entryPoints: [ENGINE],
        bundle: true,
        write: false,
        metafile: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        outdir: 'unused',
        logLevel: 'silent',
        plugins: [runtimeApart('.js')],
      });
      const root = process.cwd();
      const inEngine = new Set(Object.keys(graph.metafile.inputs).map((input) => resolve(root, input)));
      const listed = new Set(
        [...readFileSync(ENGINE, 'utf8').matchAll(/^export \* from '(\.[^']+)';$/gm)].map((match) =>
          resolve(dirname(ENGINE), (match[1] ?? '').replace(/\.js$/, '.ts')),
        ),
      );
      const extension = build.initialOptions.format === 'cjs' ? '.cjs' : '.js';
      const index = `./index${extension}`;
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const file = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        if (file === RUNTIME && args.kind === 'dynamic-import')
          return { path: `./tokenRuntime${extension}`, external: true };
        // The engine's own imports are bundled into it; only the kit's reach across.
        if (args.kind === 'entry-point' || !inEngine.has(file) || inEngine.has(args.importer)) return undefined;
        if (!listed.has(file)) {
          return {
            errors: [
              {
                text: `${relative(root, args.importer)} (the adapter kit or the token runtime) imports ${relative(root, file)}, which the engine holds: add "export * from './${relative(dirname(ENGINE), file).replace(/\.ts$/, '.js')}';" to src/engine.ts`,
              },
            ],
          };
        }
        return { path: index, external: true };
      });
    },
  };
}
