import { defineConfig } from 'tsup';
import { libraryOptions } from '../../tsup.library.js';
import { kitOverEngine } from './build/kitOverEngine.js';

// Two entries, one engine. `index` is the whole engine in one file (src/engine.ts), so importing
// core loads one module; `adapter` bundles only the kit's own code and imports the rest from
// `./index.js` (ESM and CJS alike), so module state (the API-key registry, the synthetic
// answers' errors) exists once whichever entry a program loads first. Each entry's declarations
// are bundled on their own, from index.ts and adapter.ts, so the API reports read as the two tiers.
export default defineConfig([
  {
    ...libraryOptions,
    entry: { index: 'src/engine.ts', adapter: 'src/adapter.ts' },
    dts: false,
    esbuildPlugins: [kitOverEngine()],
  },
  { ...libraryOptions, entry: { index: 'src/index.ts' }, clean: false, dts: { only: true } },
  { ...libraryOptions, entry: { adapter: 'src/adapter.ts' }, clean: false, dts: { only: true } },
]);
