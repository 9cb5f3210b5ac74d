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
};

export default defineConfig(libraryOptions);
