import type { StrategyKind } from '../strategy.js';

/** The strategies the environment can select. */
export type EnvKind = Exclude<StrategyKind, 'credential'>;

/** The strategy names KEYLESS_STRATEGY takes. */
export const ENV_KINDS: readonly EnvKind[] = ['default', 'managedIdentity', 'msalConfidentialClient', 'apiKey'];

/**
 * The one table of credential variables: which strategy reads each, and for managed identity's,
 * whether it selects the strategy (an endpoint) and whether only the library reads it (from
 * process.env, whatever env object keyless was given).
 */
export const CREDENTIAL_VARIABLES: ReadonlyArray<{
  name: string;
  readBy: readonly EnvKind[];
  /** Its presence selects managed identity (rule 5). */
  selectsManagedIdentity?: true;
  /** msal-node's managed identity and DefaultAzureCredential read it from process.env themselves. */
  readFromProcessEnv?: true;
}> = [
  { name: 'AZURE_OPENAI_API_KEY', readBy: ['apiKey'] },
  { name: 'AZURE_TENANT_ID', readBy: ['msalConfidentialClient', 'default'], readFromProcessEnv: true },
  {
    name: 'AZURE_CLIENT_ID',
    readBy: ['msalConfidentialClient', 'managedIdentity', 'default'],
    readFromProcessEnv: true,
  },
  { name: 'AZURE_CLIENT_SECRET', readBy: ['msalConfidentialClient', 'default'], readFromProcessEnv: true },
  { name: 'AZURE_CLIENT_CERTIFICATE_PATH', readBy: ['msalConfidentialClient', 'default'], readFromProcessEnv: true },
  { name: 'AZURE_CLIENT_CERTIFICATE_PASSWORD', readBy: ['msalConfidentialClient', 'default'] },
  { name: 'AZURE_FEDERATED_TOKEN_FILE', readBy: ['msalConfidentialClient', 'default'], readFromProcessEnv: true },
  { name: 'ACTIONS_ID_TOKEN_REQUEST_URL', readBy: ['msalConfidentialClient'] },
  { name: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', readBy: ['msalConfidentialClient'] },
  { name: 'AZURE_AUTHORITY_HOST', readBy: ['msalConfidentialClient', 'default'], readFromProcessEnv: true },
  {
    name: 'IDENTITY_ENDPOINT',
    readBy: ['managedIdentity', 'default'],
    selectsManagedIdentity: true,
    readFromProcessEnv: true,
  },
  { name: 'IDENTITY_HEADER', readBy: ['managedIdentity', 'default'], readFromProcessEnv: true },
  {
    name: 'MSI_ENDPOINT',
    readBy: ['managedIdentity', 'default'],
    selectsManagedIdentity: true,
    readFromProcessEnv: true,
  },
  { name: 'MSI_SECRET', readBy: ['managedIdentity', 'default'], readFromProcessEnv: true },
  { name: 'IMDS_ENDPOINT', readBy: ['managedIdentity', 'default'], readFromProcessEnv: true },
  { name: 'IDENTITY_SERVER_THUMBPRINT', readBy: ['managedIdentity', 'default'], readFromProcessEnv: true },
  {
    name: 'AZURE_POD_IDENTITY_AUTHORITY_HOST',
    readBy: ['managedIdentity', 'default'],
    selectsManagedIdentity: true,
    readFromProcessEnv: true,
  },
];

/** The variables a strategy's library reads from process.env itself (see CREDENTIAL_VARIABLES). */
export function processEnvReads(kind: EnvKind): string[] {
  if (kind !== 'managedIdentity' && kind !== 'default') return [];
  return CREDENTIAL_VARIABLES.filter(
    (v) =>
      v.readFromProcessEnv === true && v.readBy.includes(kind) && (kind === 'default' || v.name !== 'AZURE_CLIENT_ID'),
  ).map((v) => v.name);
}

/** Where the deployment, embeddings deployment and api-version come from, first set wins. */
export const TARGET_VARIABLES = {
  deployment: ['AZURE_OPENAI_DEPLOYMENT', 'AZURE_OPENAI_API_DEPLOYMENT_NAME'],
  embeddingsDeployment: ['AZURE_OPENAI_EMBEDDINGS_DEPLOYMENT', 'AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME'],
  apiVersion: ['OPENAI_API_VERSION', 'AZURE_OPENAI_API_VERSION'],
} as const;
