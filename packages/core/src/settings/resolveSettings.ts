import { resourceEndpoint } from '../http/resourceEndpoint.js';
import { scopeForEndpoint } from '../scopeForEndpoint.js';
import type { Strategy } from '../strategy.js';
import { chooseStrategy, type Env } from './chooseStrategy.js';
import { CREDENTIAL_VARIABLES, type EnvKind, TARGET_VARIABLES } from './envVariables.js';

/**
 * Everything the environment says, resolved once: the views of it are `authFromEnv`,
 * `explainEnvStrategy`, `keyless doctor` and the samples. Names and sources only in the
 * explanation fields, never a value.
 */
export interface ResolvedSettings {
  /** The strategy the environment selects (its values are in it: not for printing). */
  strategy: Strategy;
  kind: EnvKind;
  /** The rule that decided, in words. */
  reason: string;
  /** AZURE_OPENAI_ENDPOINT by the adapters' own rule (the resource's endpoint, no trailing slash). */
  endpoint: string | undefined;
  /** AZURE_OPENAI_DEPLOYMENT (or AZURE_OPENAI_API_DEPLOYMENT_NAME). */
  deployment: string | undefined;
  /** AZURE_OPENAI_EMBEDDINGS_DEPLOYMENT (or AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME). */
  embeddingsDeployment: string | undefined;
  /** OPENAI_API_VERSION (or AZURE_OPENAI_API_VERSION). */
  apiVersion: string | undefined;
  /** The scope the endpoint calls for, and why (undefined without an endpoint). */
  scope: { scope: string; reason: string } | undefined;
  /** Each strategy setting and the variable it comes from. */
  sources: Array<{ setting: string; source: string }>;
  /** Credential variables that are set and read by the strategy. */
  used: string[];
  /** Credential variables that are set but not used, with why. */
  ignored: Array<{ name: string; why: string }>;
}

// Where each strategy setting comes from.
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

/** Resolves the environment (throws the KeylessError a bad one deserves, naming the variable). */
export function resolveSettings(env: Env = process.env, options: { ca?: string | undefined } = {}): ResolvedSettings {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const first = (names: readonly string[]) => names.map(get).find((value) => value !== undefined);
  const endpointText = get('AZURE_OPENAI_ENDPOINT');
  const endpoint =
    endpointText === undefined ? undefined : resourceEndpoint('authFromEnv', 'AZURE_OPENAI_ENDPOINT', endpointText);
  const { strategy, reason } = chooseStrategy(env, options.ca);
  const kind = strategy.kind as EnvKind;
  // In a GitHub Actions job with `id-token: write` the ACTIONS_ variables are always there: they
  // are the credential only when no other one is set.
  const fromGitHub =
    kind === 'msalConfidentialClient' &&
    'clientAssertion' in strategy &&
    get('AZURE_FEDERATED_TOKEN_FILE') === undefined;
  const present = CREDENTIAL_VARIABLES.filter((v) => get(v.name) !== undefined);
  const reads = (v: (typeof CREDENTIAL_VARIABLES)[number]) =>
    v.readBy.includes(kind) && (fromGitHub || !v.name.startsWith('ACTIONS_'));
  const sources = Object.keys(strategy)
    .filter((setting) => setting !== 'kind')
    .map((setting) => ({
      setting,
      source:
        setting === 'clientAssertion' && fromGitHub
          ? 'ACTIONS_ID_TOKEN_REQUEST_URL + ACTIONS_ID_TOKEN_REQUEST_TOKEN (GitHub Actions OIDC: a fresh token for every token request)'
          : (SOURCE_OF[setting] ?? 'environment'),
    }));
  if (get('AZURE_CLIENT_CERTIFICATE_PASSWORD') !== undefined && kind === 'msalConfidentialClient') {
    sources.push({ setting: 'certificate.password', source: 'AZURE_CLIENT_CERTIFICATE_PASSWORD' });
  }
  return {
    strategy,
    kind,
    reason,
    endpoint,
    deployment: first(TARGET_VARIABLES.deployment),
    embeddingsDeployment: first(TARGET_VARIABLES.embeddingsDeployment),
    apiVersion: first(TARGET_VARIABLES.apiVersion),
    scope: endpoint === undefined ? undefined : scopeForEndpoint(endpoint),
    sources,
    used: present.filter(reads).map((v) => v.name),
    ignored: present.filter((v) => !reads(v)).map((v) => ({ name: v.name, why: `not read by the ${kind} strategy` })),
  };
}
