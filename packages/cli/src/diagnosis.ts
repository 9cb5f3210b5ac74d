/** How `keyless doctor` classifies the outcome. */
export type Outcome =
  | 'ok'
  | 'config'
  | 'credential'
  | 'wrong-audience'
  | 'permission-denied'
  | 'invalid-token'
  | 'bad-key'
  | 'key-auth-disabled'
  | 'wrong-endpoint'
  | 'deployment-not-found'
  | 'throttled'
  | 'network'
  | 'unexpected';

/** One step of the report: what was checked and what was found. */
export interface Step {
  name: string;
  ok: boolean;
  detail: string;
  /** Non-secret facts, for --json. */
  data?: Record<string, unknown>;
}

/** The whole report, as `--json` prints it. */
export interface Diagnosis {
  outcome: Outcome;
  ok: boolean;
  steps: Step[];
  /** What to do, when something failed. */
  fix?: string;
}
