import { type Auth, type AuthOptions, createAuth } from './createAuth.js';
import { KeylessError } from './errors.js';
import { authForEndpoint } from './http/authForEndpoint.js';
import { githubActionsAssertion, workloadIdentityAssertion } from './strategies/federatedAssertion.js';
import type { Strategy, StrategyKind } from './strategy.js';
import { requireEndpoint } from './validate.js';

/** Environment variables, as in `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The strategies the environment can select. */
export type EnvKind = Exclude<StrategyKind, 'credential'>;
const KINDS: readonly EnvKind[] = ['default', 'managedIdentity', 'msalConfidentialClient', 'apiKey'];

/** Options of {@link authFromEnv}. */
export interface AuthFromEnvOptions extends AuthOptions {
  /** Extra CA certificates (PEM) for a local authority; see MsalConfidentialClientStrategy.ca. */
  ca?: string | undefined;
}

/**
 * Creates an {@link Auth} from the usual Azure environment variables. Precedence:
 *
 * 1. `KEYLESS_STRATEGY` (default | managedIdentity | msalConfidentialClient | apiKey), when set,
 *    decides; the variables of that strategy are then required.
 * 2. `AZURE_OPENAI_API_KEY` together with a service principal (`AZURE_CLIENT_SECRET` or
 *    `AZURE_CLIENT_CERTIFICATE_PATH`) is an error: set KEYLESS_STRATEGY to choose.
 * 3. `AZURE_OPENAI_API_KEY` -> apiKey.
 * 4. `AZURE_TENANT_ID` + `AZURE_CLIENT_ID` + `AZURE_CLIENT_SECRET` | `AZURE_CLIENT_CERTIFICATE_PATH`
 *    | `AZURE_FEDERATED_TOKEN_FILE` (workload identity: the file is re-read per token request)
 *    | `ACTIONS_ID_TOKEN_REQUEST_URL` + `ACTIONS_ID_TOKEN_REQUEST_TOKEN` (GitHub Actions OIDC: a fresh
 *    token per token request; used only when no other client credential is set, since a job with
 *    `id-token: write` always has them) -> msalConfidentialClient.
 * 5. `IDENTITY_ENDPOINT`, `MSI_ENDPOINT` or `AZURE_POD_IDENTITY_AUTHORITY_HOST` -> managedIdentity
 *    (user-assigned when `AZURE_CLIENT_ID` is set).
 * 6. Otherwise -> default (DefaultAzureCredential).
 *
 * `AZURE_OPENAI_ENDPOINT`, when set, must be https (http only on localhost); with no `scope`
 * option, the scope follows its shape ({@link scopeForEndpoint}: a Foundry project endpoint gets
 * `https://ai.azure.com/.default`).
 *
 * @param env - The environment; `process.env` when omitted, read at call time.
 */
export function authFromEnv(env: Env = process.env, options: AuthFromEnvOptions = {}): Auth {
  const strategy = strategyFromEnv(env, options.ca);
  if (env !== process.env) refuseUnreadEnv(strategy.kind, env);
  const auth = createAuth(strategy, options);
  // The scope AZURE_OPENAI_ENDPOINT calls for (a Foundry project: ai.azure.com), unless one was given.
  const endpoint = env.AZURE_OPENAI_ENDPOINT?.trim();
  return endpoint ? authForEndpoint(auth, endpoint) : auth;
}

// Variables the libraries behind these strategies read from process.env themselves, whatever env
// object keyless was given: msal-node's managed identity, and DefaultAzureCredential's chain.
const MANAGED_IDENTITY_READS = [
  'IDENTITY_ENDPOINT',
  'IDENTITY_HEADER',
  'MSI_ENDPOINT',
  'MSI_SECRET',
  'IMDS_ENDPOINT',
  'IDENTITY_SERVER_THUMBPRINT',
  'AZURE_POD_IDENTITY_AUTHORITY_HOST',
];
const PROCESS_ENV_READS: Partial<Record<StrategyKind, readonly string[]>> = {
  managedIdentity: MANAGED_IDENTITY_READS,
  default: [
    ...MANAGED_IDENTITY_READS,
    'AZURE_TENANT_ID',
    'AZURE_CLIENT_ID',
    'AZURE_CLIENT_SECRET',
    'AZURE_CLIENT_CERTIFICATE_PATH',
    'AZURE_FEDERATED_TOKEN_FILE',
    'AZURE_AUTHORITY_HOST',
  ],
};

/**
 * An env object that says something process.env does not would be silently ignored by the
 * library (it reads process.env): refuse it, naming the variables, instead.
 */
function refuseUnreadEnv(kind: StrategyKind, env: Env): void {
  const differing = (PROCESS_ENV_READS[kind] ?? []).filter((name) => (env[name] ?? '') !== (process.env[name] ?? ''));
  if (differing.length === 0) return;
  throw new KeylessError(
    'CONFIG_INVALID',
    `authFromEnv: the env object given sets ${differing.join(', ')} differently from process.env, but the ${kind} strategy's library reads ${differing.length === 1 ? 'it' : 'them'} from process.env only. Set ${differing.length === 1 ? 'it' : 'them'} in process.env before the first token request, or call authFromEnv() without an env argument.`,
  );
}

/** The strategy {@link authFromEnv} would use, without creating it. For diagnostics (keyless doctor). */
export function strategyFromEnv(env: Env = process.env, ca?: string): Strategy {
  const get = (name: string) => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const endpoint = get('AZURE_OPENAI_ENDPOINT');
  if (endpoint !== undefined) requireEndpoint('authFromEnv', 'AZURE_OPENAI_ENDPOINT', endpoint);

  const explicit = explicitKind(get('KEYLESS_STRATEGY'));
  const key = get('AZURE_OPENAI_API_KEY');
  const secret = get('AZURE_CLIENT_SECRET');
  const certificatePath = get('AZURE_CLIENT_CERTIFICATE_PATH');
  const federatedFile = get('AZURE_FEDERATED_TOKEN_FILE');
  const actionsUrl = get('ACTIONS_ID_TOKEN_REQUEST_URL');
  const actionsToken = get('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
  const github = actionsUrl !== undefined && actionsToken !== undefined ? { actionsUrl, actionsToken } : undefined;
  const clientId = get('AZURE_CLIENT_ID');
  const kind =
    explicit ??
    inferKind({
      key,
      servicePrincipal: secret ?? certificatePath,
      federatedFile: federatedFile ?? github?.actionsUrl,
      env: get,
    });

  switch (kind) {
    case 'apiKey':
      if (key === undefined) throw missing('apiKey', 'AZURE_OPENAI_API_KEY');
      return { kind, key };
    case 'managedIdentity':
      return clientId === undefined ? { kind } : { kind, clientId };
    case 'msalConfidentialClient': {
      const tenantId = get('AZURE_TENANT_ID') ?? '';
      const base = {
        kind,
        tenantId,
        clientId: clientId ?? '',
        ...(get('AZURE_AUTHORITY_HOST') === undefined ? {} : { authorityHost: get('AZURE_AUTHORITY_HOST') }),
        ...(ca === undefined ? {} : { ca }),
      } as const;
      if (tenantId === '') throw missing(kind, 'AZURE_TENANT_ID');
      if (clientId === undefined) throw missing(kind, 'AZURE_CLIENT_ID');
      const credentials = [
        ['AZURE_CLIENT_SECRET', secret],
        ['AZURE_CLIENT_CERTIFICATE_PATH', certificatePath],
        ['AZURE_FEDERATED_TOKEN_FILE', federatedFile],
      ].filter(([, value]) => value !== undefined);
      if (credentials.length > 1) {
        throw new KeylessError(
          'CONFIG_CONFLICT',
          `authFromEnv: ${credentials.map(([name]) => name).join(' and ')} are set together, and each is a client credential. Unset all but the one this service should use; keyless does not pick one silently.`,
          { secrets: secret === undefined ? [] : [secret] },
        );
      }
      if (secret !== undefined) return { ...base, clientSecret: secret };
      if (certificatePath !== undefined) {
        const password = get('AZURE_CLIENT_CERTIFICATE_PASSWORD');
        return {
          ...base,
          certificate: { path: certificatePath, ...(password === undefined ? {} : { password }) },
        };
      }
      if (federatedFile !== undefined) return { ...base, clientAssertion: workloadIdentityAssertion(federatedFile) };
      if (github !== undefined) {
        return {
          ...base,
          clientAssertion: githubActionsAssertion({
            requestUrl: github.actionsUrl,
            requestToken: github.actionsToken,
            ca,
          }),
        };
      }
      throw missing(
        kind,
        'AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH, AZURE_FEDERATED_TOKEN_FILE or (in GitHub Actions, with `permissions: id-token: write`) ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN',
      );
    }
    case 'default': {
      const tenantId = get('AZURE_TENANT_ID');
      const authorityHost = get('AZURE_AUTHORITY_HOST');
      return {
        kind,
        ...(tenantId === undefined ? {} : { tenantId }),
        ...(clientId === undefined ? {} : { managedIdentityClientId: clientId }),
        ...(authorityHost === undefined ? {} : { authorityHost }),
      };
    }
    default: {
      const unknown: never = kind;
      throw new KeylessError(
        'CONFIG_INVALID',
        `authFromEnv: unsupported strategy ${String(unknown)}. Use one of ${KINDS.join(', ')}.`,
      );
    }
  }
}

function inferKind(found: {
  key: string | undefined;
  servicePrincipal: string | undefined;
  federatedFile: string | undefined;
  env: (name: string) => string | undefined;
}): EnvKind {
  if (found.key !== undefined && found.servicePrincipal !== undefined) {
    const which =
      found.env('AZURE_CLIENT_SECRET') !== undefined ? 'AZURE_CLIENT_SECRET' : 'AZURE_CLIENT_CERTIFICATE_PATH';
    throw new KeylessError(
      'CONFIG_CONFLICT',
      `authFromEnv: AZURE_OPENAI_API_KEY and ${which} are both set, so the API key and the service principal compete. Set KEYLESS_STRATEGY=apiKey or KEYLESS_STRATEGY=msalConfidentialClient to choose, or unset one.`,
      { secrets: [found.key, found.servicePrincipal] },
    );
  }
  if (found.key !== undefined) return 'apiKey';
  if (
    found.env('AZURE_TENANT_ID') !== undefined &&
    found.env('AZURE_CLIENT_ID') !== undefined &&
    (found.servicePrincipal ?? found.federatedFile) !== undefined
  ) {
    return 'msalConfidentialClient';
  }
  if (
    ['IDENTITY_ENDPOINT', 'MSI_ENDPOINT', 'AZURE_POD_IDENTITY_AUTHORITY_HOST'].some(
      (name) => found.env(name) !== undefined,
    )
  ) {
    return 'managedIdentity';
  }
  return 'default';
}

// What people type for a strategy under its other names.
const ALIASES: Record<string, EnvKind> = {
  msi: 'managedIdentity',
  mi: 'managedIdentity',
  identity: 'managedIdentity',
  key: 'apiKey',
  apikeys: 'apiKey',
  serviceprincipal: 'msalConfidentialClient',
  sp: 'msalConfidentialClient',
  clientsecret: 'msalConfidentialClient',
  confidentialclient: 'msalConfidentialClient',
  msal: 'msalConfidentialClient',
  defaultazurecredential: 'default',
};

/** KEYLESS_STRATEGY, trimmed and checked; a near miss gets a suggestion. */
function explicitKind(value: string | undefined): EnvKind | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if (KINDS.includes(text as EnvKind)) return text as EnvKind;
  const folded = text.toLowerCase().replace(/[-_\s]/g, '');
  const near = KINDS.find((kind) => kind.toLowerCase() === folded) ?? ALIASES[folded];
  throw new KeylessError(
    'CONFIG_INVALID',
    `authFromEnv: KEYLESS_STRATEGY "${text.slice(0, 40)}" is not a strategy. ${near === undefined ? '' : `Did you mean ${near}? `}Use one of ${KINDS.join(', ')}.`,
  );
}

function missing(kind: StrategyKind, variable: string): KeylessError {
  return new KeylessError(
    'CONFIG_INVALID',
    `authFromEnv: the ${kind} strategy needs ${variable}, which is not set. Set it, or choose another strategy with KEYLESS_STRATEGY.`,
  );
}
