import { type Env, type EnvKind, strategyFromEnv } from './authFromEnv.js';

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

// The variables each strategy reads. DefaultAzureCredential reads all but the key, in its own order.
const MSAL_VARIABLES = [
  'AZURE_TENANT_ID',
  'AZURE_CLIENT_ID',
  'AZURE_CLIENT_SECRET',
  'AZURE_CLIENT_CERTIFICATE_PATH',
  'AZURE_CLIENT_CERTIFICATE_PASSWORD',
  'AZURE_FEDERATED_TOKEN_FILE',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
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
  default: [...MSAL_VARIABLES.filter((name) => !name.startsWith('ACTIONS_')), ...MANAGED_IDENTITY_VARIABLES],
};

// Where each strategy setting authFromEnv fills comes from.
const SOURCE_OF: Record<string, string> = {
  key: 'AZURE_OPENAI_API_KEY',
  tenantId: 'AZURE_TENANT_ID',
  clientId: 'AZURE_CLIENT_ID',
  managedIdentityClientId: 'AZURE_CLIENT_ID',
  clientSecret: 'AZURE_CLIENT_SECRET',
  certificate: 'AZURE_CLIENT_CERTIFICATE_PATH',
  clientAssertion: 'AZURE_FEDERATED_TOKEN_FILE (workload identity: re-read for every token request)',
  authorityHost: 'AZURE_AUTHORITY_HOST',
  ca: 'the ca option',
};

/** Explains the choice {@link authFromEnv} makes (throws the same errors it would). */
export function explainEnvStrategy(env: Env = process.env): EnvStrategyExplanation {
  const strategy = strategyFromEnv(env);
  const set = (name: string) => env[name] !== undefined && env[name] !== '';
  const present = CREDENTIAL_VARIABLES.filter(set);
  const kind = strategy.kind as EnvKind;
  // In a GitHub Actions job with `id-token: write` the ACTIONS_ variables are always there: they
  // are the credential only when no other one is set.
  const fromGitHub =
    kind === 'msalConfidentialClient' && 'clientAssertion' in strategy && !set('AZURE_FEDERATED_TOKEN_FILE');
  const readBy = READ_BY[kind].filter((name) => fromGitHub || !name.startsWith('ACTIONS_'));
  const used = present.filter((name) => readBy.includes(name));
  const ignored = present
    .filter((name) => !used.includes(name))
    .map((name) => ({ name, why: `not read by the ${kind} strategy` }));
  const settings = Object.keys(strategy)
    .filter((setting) => setting !== 'kind')
    .map((setting) => ({
      setting,
      source:
        setting === 'clientAssertion' && fromGitHub
          ? 'ACTIONS_ID_TOKEN_REQUEST_URL + ACTIONS_ID_TOKEN_REQUEST_TOKEN (GitHub Actions OIDC: a fresh token for every token request)'
          : (SOURCE_OF[setting] ?? 'environment'),
    }));
  if (set('AZURE_CLIENT_CERTIFICATE_PASSWORD') && kind === 'msalConfidentialClient') {
    settings.push({ setting: 'certificate.password', source: 'AZURE_CLIENT_CERTIFICATE_PASSWORD' });
  }
  const explicit = env.KEYLESS_STRATEGY?.trim();
  const reason =
    explicit !== undefined && explicit !== ''
      ? `KEYLESS_STRATEGY=${explicit}`
      : kind === 'apiKey'
        ? 'AZURE_OPENAI_API_KEY is set (and no service principal)'
        : kind === 'msalConfidentialClient'
          ? `AZURE_TENANT_ID, AZURE_CLIENT_ID and a client credential (${settings.find((s) => s.setting === 'clientSecret' || s.setting === 'certificate' || s.setting === 'clientAssertion')?.source ?? '?'}) are set`
          : kind === 'managedIdentity'
            ? 'a managed-identity endpoint variable is set'
            : 'no other credential variables are set, so DefaultAzureCredential walks its chain';
  return { kind, reason, settings, used, ignored };
}
