import { KeylessError } from '../errors.js';
import { githubActionsAssertion, workloadIdentityAssertion } from '../strategies/federatedAssertion.js';
import type { Strategy, StrategyKind } from '../strategy.js';
import { CREDENTIAL_VARIABLES, ENV_KINDS, type EnvKind } from './envVariables.js';

/** Environment variables, as in `process.env`. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * The precedence, written once: the strategy the environment selects and the rule that decided,
 * in words. Throws the KeylessError a conflicting or incomplete environment deserves.
 */
export function chooseStrategy(env: Env, ca?: string): { strategy: Strategy; reason: string } {
  const get = (name: string) => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const explicit = explicitKind(get('KEYLESS_STRATEGY'));
  const key = get('AZURE_OPENAI_API_KEY');
  const secret = get('AZURE_CLIENT_SECRET');
  const certificatePath = get('AZURE_CLIENT_CERTIFICATE_PATH');
  const federatedFile = get('AZURE_FEDERATED_TOKEN_FILE');
  const actionsUrl = get('ACTIONS_ID_TOKEN_REQUEST_URL');
  const actionsToken = get('ACTIONS_ID_TOKEN_REQUEST_TOKEN');
  const github = actionsUrl !== undefined && actionsToken !== undefined ? { actionsUrl, actionsToken } : undefined;
  const clientId = get('AZURE_CLIENT_ID');
  const { kind, reason } =
    explicit === undefined
      ? inferKind({
          key,
          servicePrincipal: secret ?? certificatePath,
          federatedFile: federatedFile ?? github?.actionsUrl,
          env: get,
        })
      : { kind: explicit, reason: `KEYLESS_STRATEGY=${get('KEYLESS_STRATEGY')?.trim()}` };
  return { strategy: strategyOf(kind), reason };

  function strategyOf(kind: EnvKind): Strategy {
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
          `authFromEnv: unsupported strategy ${String(unknown)}. Use one of ${ENV_KINDS.join(', ')}.`,
        );
      }
    }
  }
}

function inferKind(found: {
  key: string | undefined;
  servicePrincipal: string | undefined;
  federatedFile: string | undefined;
  env: (name: string) => string | undefined;
}): { kind: EnvKind; reason: string } {
  if (found.key !== undefined && found.servicePrincipal !== undefined) {
    const which =
      found.env('AZURE_CLIENT_SECRET') !== undefined ? 'AZURE_CLIENT_SECRET' : 'AZURE_CLIENT_CERTIFICATE_PATH';
    throw new KeylessError(
      'CONFIG_CONFLICT',
      `authFromEnv: AZURE_OPENAI_API_KEY and ${which} are both set, so the API key and the service principal compete. Set KEYLESS_STRATEGY=apiKey or KEYLESS_STRATEGY=msalConfidentialClient to choose, or unset one.`,
      { secrets: [found.key, found.servicePrincipal] },
    );
  }
  if (found.key !== undefined)
    return { kind: 'apiKey', reason: 'AZURE_OPENAI_API_KEY is set (and no service principal)' };
  if (
    found.env('AZURE_TENANT_ID') !== undefined &&
    found.env('AZURE_CLIENT_ID') !== undefined &&
    (found.servicePrincipal ?? found.federatedFile) !== undefined
  ) {
    const credential =
      ['AZURE_CLIENT_SECRET', 'AZURE_CLIENT_CERTIFICATE_PATH', 'AZURE_FEDERATED_TOKEN_FILE'].find(
        (name) => found.env(name) !== undefined,
      ) ?? 'ACTIONS_ID_TOKEN_REQUEST_URL + ACTIONS_ID_TOKEN_REQUEST_TOKEN (GitHub Actions OIDC)';
    return {
      kind: 'msalConfidentialClient',
      reason: `AZURE_TENANT_ID, AZURE_CLIENT_ID and a client credential (${credential}) are set`,
    };
  }
  const endpoint = CREDENTIAL_VARIABLES.find(
    (v) => v.selectsManagedIdentity === true && found.env(v.name) !== undefined,
  );
  if (endpoint !== undefined)
    return { kind: 'managedIdentity', reason: `a managed-identity endpoint variable (${endpoint.name}) is set` };
  return {
    kind: 'default',
    reason: 'no other credential variables are set, so DefaultAzureCredential walks its chain',
  };
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
  if (ENV_KINDS.includes(text as EnvKind)) return text as EnvKind;
  const folded = text.toLowerCase().replace(/[-_\s]/g, '');
  const near = ENV_KINDS.find((kind) => kind.toLowerCase() === folded) ?? ALIASES[folded];
  throw new KeylessError(
    'CONFIG_INVALID',
    `authFromEnv: KEYLESS_STRATEGY "${text.slice(0, 40)}" is not a strategy. ${near === undefined ? '' : `Did you mean ${near}? `}Use one of ${ENV_KINDS.join(', ')}.`,
  );
}

function missing(kind: StrategyKind, variable: string): KeylessError {
  return new KeylessError(
    'CONFIG_INVALID',
    `authFromEnv: the ${kind} strategy needs ${variable}, which is not set. Set it, or choose another strategy with KEYLESS_STRATEGY.`,
  );
}
