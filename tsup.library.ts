import { defineConfig } from 'tsup';

/** The build of every published library: dual ESM + CJS with types for each, for Node 20. */
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
