import { defineConfig } from 'tsup';
import { libraryOptions } from '../../tsup.library.js';

// The shared library build (the emulator, and the conformance suite as its own entry: it imports
// vitest, which the emulator's users need not have), plus the standalone emulator CLI.
export default defineConfig([
  { ...libraryOptions, entry: { index: 'src/index.ts', conformance: 'src/conformance.ts' } },
  { entry: ['src/cli.ts'], format: ['esm'], sourcemap: false, target: 'node20', banner: { js: '#!/usr/bin/env node' } },
]);
