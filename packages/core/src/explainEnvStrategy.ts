import { type Env, type EnvKind, strategyFromEnv } from './authFromEnv.js';
import type { Strategy } from './strategy.js';

/** Why {@link authFromEnv} chose its strategy: for diagnostics (`keyless doctor`). Names only, never values. */
export interface EnvStrategyExplanation {
  strategy: Strategy;
  /** The rule that decided, in words. */
  reason: string;
  /** Variables the strategy reads. */
  used: string[];
  /** Credential variables that are set but not used, with why. */
  ignored: Array<{ name: string; why: string }>;
}

// The variables each strategy reads. DefaultAzureCredential reads all but the key, in its own order.
const MSAL_VARIABLES = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_AUTHORITY_HOST',
];
const MANAGED_IDENTITY_VARIABLES = [
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'MSI_ENDPOINT',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
];
const CREDENTIAL_VARIABLES = ['AZURE_OPENAI_API_KEY', ...MSAL_VARIABLES, ...MANAGED_IDENTITY_VARIABLES];
const READ_BY: Record<EnvKind, readonly string[]> = {
  apiKey: ['AZURE_OPENAI_API_KEY'],
  msalConfidentialClient: MSAL_VARIABLES,
  managedIdentity: [...MANAGED_IDENTITY_VARIABLES, 'AZURE_CLIENT_ID'],
  default: [...MSAL_VARIABLES, ...MANAGED_IDENTITY_VARIABLES],
};

/** Explains the choice {@link authFromEnv} makes (throws the same errors it would). */
export function explainEnvStrategy(env: Env = process.env): EnvStrategyExplanation {
  const strategy = strategyFromEnv(env);
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  const present = CREDENTIAL_VARIABLES.filter(set);
  const kind = strategy.kind as EnvKind;
  const used = present.filter((name) => READ_BY[kind].includes(name));
  const ignored = present
    .filter((name) => !used.includes(name))
    .map((name) => ({ name, why: `not read by the ${kind} strategy` }));
  const explicit = env.KEYLESS_STRATEGY;
  const reason =
    explicit !== undefined && explicit !== ''
      ? `KEYLESS_STRATEGY=${explicit}`
      : kind === 'apiKey'
        ? 'AZURE_OPENAI_API_KEY is set (and no service principal)'
        : kind === 'msalConfidentialClient'
          ? 'AZURE_TENANT_ID, AZURE_CLIENT_ID and a client credential are set'
          : kind === 'managedIdentity'
            ? 'a managed-identity endpoint variable is set'
            : 'no other credential variables are set, so DefaultAzureCredential walks its chain';
  return { strategy, reason, used, ignored };
}
