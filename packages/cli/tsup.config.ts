import { defineConfig } from 'tsup';

export default defineConfig([
  { entry: ['src/index.ts'], format: ['esm'], dts: true, sourcemap: false, clean: true, target: 'node20' },
  { entry: ['src/cli.ts'], format: ['esm'], sourcemap: false, target: 'node20', banner: { js: '#!/usr/bin/env node' } },
]);
