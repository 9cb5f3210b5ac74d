// The shared library build (dual ESM + CJS, types per condition).
export { default } from '../../tsup.library.js';
