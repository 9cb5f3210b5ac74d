export type { Diagnosis, Outcome, Step } from './diagnosis.js';
export { inspectToken, type TokenFacts } from './inspectToken.js';
export { type Probe, type ProbeResult, probeEndpoint } from './probeEndpoint.js';
export { renderDiagnosis } from './render.js';
export { type DoctorOptions, runDoctor } from './runDoctor.js';
