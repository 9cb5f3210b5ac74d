export {
  type AdapterUnderTest,
  describeAdapterConformance,
  describeColdHerd,
  type MakeAdapter,
} from './describeAdapterConformance.js';
export { principalFor, strategyFor, tokenRequests } from './strategyFor.js';
