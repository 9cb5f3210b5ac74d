/** What each sample app reports to the main job: one JSON line, prefixed so it is easy to find. */
export interface AppReport {
  ok: boolean;
  /** Calls to Azure OpenAI the app made. */
  calls: number;
  /** Short human summary. */
  summary: string;
  error?: string;
}

export const REPORT_PREFIX = 'KEYLESS_REPORT ';

/** Prints the report line (machine-readable) after the app's own output. */
export function printReport(report: AppReport): void {
  console.log(`${REPORT_PREFIX}${JSON.stringify(report)}`);
}

/** Finds the report line in an app's output. */
export function parseReport(output: string): AppReport | undefined {
  const line = output.split('\n').find((l) => l.startsWith(REPORT_PREFIX));
  return line === undefined ? undefined : (JSON.parse(line.slice(REPORT_PREFIX.length)) as AppReport);
}
