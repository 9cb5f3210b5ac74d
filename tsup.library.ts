import { defineConfig, type Options } from 'tsup';

/** The build of every published library: dual ESM + CJS with types for each, for Node 20. */
export const libraryOptions: Options = {
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: they were most of the unpacked size and pointed at sources not shipped.
  sourcemap: false,
  clean: true,
  target: 'node20',
  // `node:crypto`, not `crypto`: bundlers for other targets (workerd, edge) then know a built-in
  // without a list of externals, and Deno and Bun read them as Node's.
  removeNodeProtocol: false,
};

export default defineConfig(libraryOptions);
