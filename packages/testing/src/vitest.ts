// @keyless/testing/vitest: the harness for vitest files (vitest is an optional peer).
export { type UseEmulatorOptions, useEmulator } from './vitest/useEmulator.js';
