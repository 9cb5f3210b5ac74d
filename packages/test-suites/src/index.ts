export {
  type AdapterUnderTest,
  describeAdapterConformance,
  describeColdHerd,
  limitConcurrency,
  type MakeAdapter,
} from './describeAdapterConformance.js';
export { principalFor, strategyFor, tokenRequests } from './strategyFor.js';
