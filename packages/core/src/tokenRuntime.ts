// The token runtime: what token strategies run once they have a token to fetch (the token cache
// and its Auth, the network client, the error explainers, the shared cache's protocol). Built as
// its own file (`dist/tokenRuntime.js`), imported by `loadTokenRuntime()` when the first token
// strategy is created, so that `import '@keyless/core'` and an API key load none of it (bench
// section 4). What it shares with the engine (errors, redaction, events) it imports from
// `./index.js`, like the adapter kit: one copy of the engine's state in every program.
export { assembleAuth } from './assembleAuth.js';
export { federatedFix } from './internal/federatedFailure.js';
export { networkClient } from './internal/networkClient.js';
export { tokenRequestError } from './internal/tokenRequestError.js';
export { sharedCacheFetcher } from './sharedCache/sharedCacheFetcher.js';
export { managedIdentityFetcher } from './strategies/managedIdentityFetcher.js';
