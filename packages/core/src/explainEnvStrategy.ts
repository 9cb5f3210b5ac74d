import type { Env } from './settings/chooseStrategy.js';
import type { EnvKind } from './settings/envVariables.js';
import { resolveSettings } from './settings/resolveSettings.js';

/**
 * Why {@link authFromEnv} chose its strategy: for diagnostics (`keyless doctor`). Names and
 * sources only, never a value: safe to print or log as it is.
 */
export interface EnvStrategyExplanation {
  /** The strategy chosen. */
  kind: EnvKind;
  /** The rule that decided, in words. */
  reason: string;
  /** Each setting of the strategy and the variable it comes from (never its value). */
  settings: Array<{ setting: string; source: string }>;
  /** Variables the strategy reads. */
  used: string[];
  /** Credential variables that are set but not used, with why. */
  ignored: Array<{ name: string; why: string }>;
}

/** Explains the choice {@link authFromEnv} makes (throws the same errors it would): a view of resolveSettings. */
export function explainEnvStrategy(env: Env = process.env): EnvStrategyExplanation {
  const { kind, reason, sources, used, ignored } = resolveSettings(env);
  return { kind, reason, settings: sources, used, ignored };
}
