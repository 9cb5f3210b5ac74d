import { defineConfig } from 'tsup';
import { libraryOptions } from '../../tsup.library.js';

// The shared library build (the emulator; the conformance suite and the vitest harness as entries
// of their own: they import vitest, which the emulator's users need not have), plus the CLI.
export default defineConfig([
  { ...libraryOptions, entry: { index: 'src/index.ts', conformance: 'src/conformance.ts', vitest: 'src/vitest.ts' } },
  { entry: ['src/cli.ts'], format: ['esm'], sourcemap: false, target: 'node20', banner: { js: '#!/usr/bin/env node' } },
]);
