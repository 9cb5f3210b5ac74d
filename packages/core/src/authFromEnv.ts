import type { Auth } from './auth.js';
import { type AuthOptions, createAuth } from './createAuth.js';
import { KeylessError } from './errors.js';
import { authForEndpoint } from './http/authForEndpoint.js';
import type { Env } from './settings/chooseStrategy.js';
import { type EnvKind, processEnvReads } from './settings/envVariables.js';
import { resolveSettings } from './settings/resolveSettings.js';
import type { Strategy } from './strategy.js';

export type { Env } from './settings/chooseStrategy.js';
export type { EnvKind } from './settings/envVariables.js';

/** Options of {@link authFromEnv}: those of createAuth, the environment, and a CA. */
export interface AuthFromEnvOptions extends AuthOptions {
  /** The environment; `process.env` when omitted, read at call time. */
  env?: Env | undefined;
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
 * `AZURE_OPENAI_ENDPOINT`, when set, must be the resource endpoint by the adapters' own rule
 * (https, http only on localhost; not a URL into the API such as the portal's Target URI); with no
 * `scope` option the scope follows its shape (a Foundry project endpoint gets
 * `https://ai.azure.com/.default`).
 *
 * @example
 * const auth = authFromEnv();                       // process.env
 * const other = authFromEnv({ env, scope, sharedCache: { store } });
 */
export function authFromEnv(options?: AuthFromEnvOptions): Auth;
/** @deprecated Pass the environment as an option: `authFromEnv({ env, ...options })`. */
export function authFromEnv(env: Env, options?: AuthFromEnvOptions): Auth;
export function authFromEnv(first?: AuthFromEnvOptions | Env, second?: AuthFromEnvOptions): Auth {
  const options: AuthFromEnvOptions = isEnv(first, second) ? { ...second, env: first } : (first ?? {});
  const env = options.env ?? process.env;
  const resolved = resolveSettings(env, { ca: options.ca });
  if (env !== process.env) refuseUnreadEnv(resolved.kind, env);
  const { env: _env, ca: _ca, ...authOptions } = options;
  const auth = createAuth(resolved.strategy, authOptions);
  // The scope AZURE_OPENAI_ENDPOINT calls for (a Foundry project: ai.azure.com), unless one was given.
  return resolved.endpoint === undefined ? auth : authForEndpoint(auth, resolved.endpoint);
}

/** The strategy {@link authFromEnv} would use, without creating it (a view of resolveSettings). */
export function strategyFromEnv(env: Env = process.env, options: { ca?: string | undefined } | string = {}): Strategy {
  return resolveSettings(env, typeof options === 'string' ? { ca: options } : options).strategy;
}

/**
 * The legacy call `authFromEnv(env, options)`: a second argument, or a first whose keys are
 * environment variable names (options are camelCase).
 */
function isEnv(first: unknown, second: unknown): first is Env {
  if (second !== undefined) return true;
  if (first === process.env) return true;
  if (typeof first !== 'object' || first === null) return false;
  const keys = Object.keys(first);
  return keys.length > 0 && keys.every((key) => /^[A-Z0-9_]+$/.test(key));
}

/**
 * An env object that says something process.env does not would be silently ignored by the
 * library (it reads process.env): refuse it, naming the variables, instead.
 */
function refuseUnreadEnv(kind: EnvKind, env: Env): void {
  const differing = processEnvReads(kind).filter((name) => (env[name] ?? '') !== (process.env[name] ?? ''));
  if (differing.length === 0) return;
  throw new KeylessError(
    'CONFIG_INVALID',
    `authFromEnv: the env object given sets ${differing.join(', ')} differently from process.env, but the ${kind} strategy's library reads ${differing.length === 1 ? 'it' : 'them'} from process.env only. Set ${differing.length === 1 ? 'it' : 'them'} in process.env before the first token request, or call authFromEnv() without an env argument.`,
  );
}
