// @keyless/testing/conformance: the suites keyless's own strategies pass, for yours (vitest).
export {
  type ConformanceAuth,
  type ConformanceCase,
  describeStrategyConformance,
} from './conformance/describeStrategyConformance.js';
