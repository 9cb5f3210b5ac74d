export { type AppReport, parseReport, printReport, REPORT_PREFIX } from './report.js';
export { resolveTarget, type Target } from './resolveTarget.js';
export { runApp } from './runApp.js';
export type { SampleAppOptions } from './sampleAppOptions.js';
