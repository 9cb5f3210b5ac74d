import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Options } from 'tsup';

type Plugin = NonNullable<Options['esbuildPlugins']>[number];

// tsup runs in the package's directory (its config is bundled elsewhere, so no import.meta path).
const ENGINE = resolve('src/engine.ts');

/**
 * The build of both entries, `index` (src/engine.ts) and `adapter`: in the kit, every module that the engine (`src/engine.ts`, built as `index.js`)
 * holds is imported from `./index.js` instead of bundled again, so `import '@keyless/core'`
 * loads one module and both entries share one engine. Fails the build, naming the fix, when the
 * kit imports an engine module that `src/engine.ts` does not re-export.
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
      });
      const root = process.cwd();
      const inEngine = new Set(Object.keys(graph.metafile.inputs).map((input) => resolve(root, input)));
      const listed = new Set(
        [...readFileSync(ENGINE, 'utf8').matchAll(/^export \* from '(\.[^']+)';$/gm)].map((match) =>
          resolve(dirname(ENGINE), (match[1] ?? '').replace(/\.js$/, '.ts')),
        ),
      );
      const index = build.initialOptions.format === 'cjs' ? './index.cjs' : './index.js';
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        const file = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
        // The engine's own imports are bundled into it; only the kit's reach across.
        if (args.kind === 'entry-point' || !inEngine.has(file) || inEngine.has(args.importer)) return undefined;
        if (!listed.has(file)) {
          return {
            errors: [
              {
                text: `the adapter kit imports ${relative(root, file)}, which the engine holds: add "export * from './${relative(dirname(ENGINE), file).replace(/\.ts$/, '.js')}';" to src/engine.ts`,
              },
            ],
          };
        }
        return { path: index, external: true };
      });
    },
  };
}
