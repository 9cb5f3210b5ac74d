import { defineConfig } from 'tsup';
import { libraryOptions } from '../../tsup.library.js';
import { kitOverEngine } from './build/kitOverEngine.js';

// Three entries, one engine. `index` is the engine in one file (src/engine.ts), so importing
// core loads one module; `adapter` bundles only the kit's own code and `tokenRuntime` only what
// token strategies run (the token cache, the network client, the error explainers: the engine
// imports it when the first token strategy is created, so an import and an API key never parse
// it). Both import the rest from `./index.js` (ESM and CJS alike), so module state (the API-key
// registry, the synthetic answers' errors) exists once whichever entry a program loads first.
// Each public entry's declarations are bundled on their own, from index.ts and adapter.ts, so the
// API reports read as the two tiers; the runtime has none (it is not an export of the package).
export default defineConfig([
  {
    ...libraryOptions,
    entry: { index: 'src/engine.ts', adapter: 'src/adapter.ts', tokenRuntime: 'src/tokenRuntime.ts' },
    dts: false,
    // Shared code lives in the engine; a chunk split off by esbuild would be one more module to load.
    splitting: false,
    esbuildPlugins: [kitOverEngine()],
  },
  { ...libraryOptions, entry: { index: 'src/index.ts' }, clean: false, dts: { only: true } },
  { ...libraryOptions, entry: { adapter: 'src/adapter.ts' }, clean: false, dts: { only: true } },
]);
