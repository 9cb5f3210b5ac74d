import { defineConfig } from 'tsup';

// ESM only, with types: consumed by this workspace's tests and, packed, by the compatibility matrix.
export default defineConfig({ entry: ['src/index.ts'], format: ['esm'], dts: true, clean: true, target: 'node20' });
