import { aiSdkAdapter } from './adapters/aiSdk.js';
import { fetchAdapter } from './adapters/fetch.js';
import { langchainAdapter } from './adapters/langchain.js';
import { openaiAdapter } from './adapters/openai.js';

export {
  type AdapterUnderTest,
  type DriverOptions,
  describeAdapterConformance,
  describeColdHerd,
  type MakeAdapter,
} from './describeAdapterConformance.js';
export { describeAiSdkSurfaces } from './describeAiSdkSurfaces.js';
export { describeAzureShapes } from './describeAzureShapes.js';
export { describeLangChainV1 } from './describeLangChainV1.js';
export { describeOnBehalfOf } from './describeOnBehalfOf.js';
export { describeOpenAISurfaces } from './describeOpenAISurfaces.js';
export { describeSharedTokenCache } from './describeSharedTokenCache.js';
export { bearerOidOf, onBehalfOfFor } from './onBehalfOfFor.js';
export { principalFor, strategyFor, tokenRequests } from './strategyFor.js';

/** Each adapter driven as its users drive it, from its package (the built one, or a packed tarball). */
export const adapters = {
  openai: openaiAdapter,
  langchain: langchainAdapter,
  fetch: fetchAdapter,
  'ai-sdk': aiSdkAdapter,
};
