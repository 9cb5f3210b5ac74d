import { defineConfig } from 'tsup';
import { libraryOptions } from '../../tsup.library.js';

// Two entries, one engine: the JS of both is split into shared chunks (ESM and CJS alike), so
// module state (the API-key registry, the synthetic answers' errors) exists once whichever entry
// a program loads first. Each entry's declarations are bundled on their own, so the API reports
// read as the two tiers.
export default defineConfig([
  { ...libraryOptions, entry: { index: 'src/index.ts', adapter: 'src/adapter.ts' }, splitting: true, dts: false },
  { ...libraryOptions, entry: { index: 'src/index.ts' }, clean: false, dts: { only: true } },
  { ...libraryOptions, entry: { adapter: 'src/adapter.ts' }, clean: false, dts: { only: true } },
]);
