// The runtime of `@keyless/core`: the public API (index.ts) and the modules the adapter kit and the
// token runtime (src/tokenRuntime.ts) share with it, in one file. Importing core then loads one module, not an entry and a chunk (about
// 0.7 ms less per process: bench section 4). `dist/adapter.js` and `dist/tokenRuntime.js` import these from `./index.js`,
// so the engine's state (the API-key registry, the synthetic answers' errors) exists once.
// Types come from index.ts and adapter.ts: what is re-exported here only for the kit is not part
// of the public API. The build fails if either imports a shared module not listed here.
export * from './authFromEnv.js';
export * from './clock.js';
export * from './decodeJwtClaims.js';
export * from './defaults.js';
export * from './errors.js';
export * from './events.js';
export * from './http/authForEndpoint.js';
export * from './http/credentialFailureResponse.js';
export * from './http/resourceEndpoint.js';
export * from './index.js';
export * from './internal/apiKeyRegistry.js';
export * from './internal/loadPeer.js';
export * from './internal/nodeBuiltins.js';
export * from './internal/parseRetryAfter.js';
export * from './internal/parseTimestamp.js';
export * from './internal/readLimitedText.js';
export * from './internal/readyHeaders.js';
export * from './internal/tlsTrust.js';
export * from './redact.js';
export * from './scopeForEndpoint.js';
export * from './settings/resolveSettings.js';
export * from './strategies/federatedAssertion.js';
export * from './telemetry/tokenTelemetry.js';
export * from './tokenCache/tokenCacheOptions.js';
export * from './validate.js';
