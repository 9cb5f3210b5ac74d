import { defineConfig } from 'tsup';

export default defineConfig([
  { entry: ['src/*.ts'], format: ['esm'], sourcemap: true, clean: true, target: 'node20' },
  // The summarizer's settings against an emulator are read by the main job too: give them types.
  { entry: ['src/summarizerEnv.ts'], format: ['esm'], dts: { only: true }, clean: false, target: 'node20' },
]);
