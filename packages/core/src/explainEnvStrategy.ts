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

const CREDENTIAL_VARIABLES = [
  'AZURE_OPENAI_API_KEY',
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_AUTHORITY_HOST',
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'MSI_ENDPOINT',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
];

/** Explains the choice {@link authFromEnv} makes (throws the same errors it would). */
export function explainEnvStrategy(env: Env = process.env): EnvStrategyExplanation {
  const strategy = strategyFromEnv(env);
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  const present = CREDENTIAL_VARIABLES.filter(set);
  const byKind: Record<EnvKind, string[]> = {
    apiKey: ['AZURE_OPENAI_API_KEY'],
    msalConfidentialClient: [
      'AZURE_TENANT_ID',
      'AZURE_CLIENT_ID',
      'AZURE_CLIENT_SECRET',
      'AZURE_CLIENT_CERTIFICATE_PATH',
      'AZURE_CLIENT_CERTIFICATE_PASSWORD',
      'AZURE_FEDERATED_TOKEN_FILE',
      'AZURE_AUTHORITY_HOST',
    ],
    managedIdentity: [
      'IDENTITY_ENDPOINT',
      'IDENTITY_HEADER',
      'MSI_ENDPOINT',
      'AZURE_POD_IDENTITY_AUTHORITY_HOST',
      'AZURE_CLIENT_ID',
    ],
    // DefaultAzureCredential reads every one of them itself, in its own order.
    default: CREDENTIAL_VARIABLES.filter((name) => name !== 'AZURE_OPENAI_API_KEY'),
  };
  const kind = strategy.kind as EnvKind;
  const used = present.filter((name) => byKind[kind].includes(name));
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
