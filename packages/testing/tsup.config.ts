import { defineConfig } from 'tsup';
import { libraryOptions } from '../../tsup.library.js';

// The shared library build, plus the standalone emulator CLI.
export default defineConfig([
  libraryOptions,
  { entry: ['src/cli.ts'], format: ['esm'], sourcemap: false, target: 'node20', banner: { js: '#!/usr/bin/env node' } },
]);
