import type { INetworkModule, NetworkResponse } from '@azure/msal-node';
import { KeylessError } from '../errors.js';
import { loadTokenRuntime } from '../internal/loadTokenRuntime.js';
import { nodeFs } from '../internal/nodeBuiltins.js';
import { requireEndpoint, requireText } from '../validate.js';

/** Where a federated client assertion comes from, for the explanation of a failure. */
export type FederatedSource = { kind: 'workloadIdentity'; variable: string } | { kind: 'githubActions' };

/** The audience Entra expects in a federated assertion. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

// The source of each assertion callback these helpers made (msalConfidentialClient reads it).
const SOURCES = new WeakMap<object, FederatedSource>();

/** The source of an assertion callback made by {@link workloadIdentityAssertion} or {@link githubActionsAssertion}. */
export function federatedSourceOf(callback: unknown): FederatedSource | undefined {
  return typeof callback === 'function' ? SOURCES.get(callback) : undefined;
}

/**
 * A `clientAssertion` for Kubernetes workload identity (AKS): the projected service-account token,
 * read from `file` for every token request, because the kubelet rotates it (reading it once fails
 * an hour later with AADSTS700024). A missing, unreadable or empty file is a clear error naming
 * `variable`.
 *
 * @example
 * createAuth({ kind: 'msalConfidentialClient', tenantId, clientId, clientAssertion: workloadIdentityAssertion(process.env.AZURE_FEDERATED_TOKEN_FILE) })
 */
export function workloadIdentityAssertion(
  file: string,
  variable = 'AZURE_FEDERATED_TOKEN_FILE',
): () => Promise<string> {
  const path = requireText('workloadIdentity', variable, file);
  const read = async () => {
    let text: string;
    try {
      text = await nodeFs().promises.readFile(path, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'unreadable';
      throw new KeylessError(
        'CREDENTIAL_UNAVAILABLE',
        `workloadIdentity: ${variable} points at ${path}, which cannot be read (${code}). On AKS the pod needs the label azure.workload.identity/use: "true" and a service account annotated with azure.workload.identity/client-id, so that the token is projected there; elsewhere point ${variable} at the service-account token file.`,
        { cause: error },
      );
    }
    const token = text.trim();
    if (token === '') {
      throw new KeylessError(
        'CREDENTIAL_UNAVAILABLE',
        `workloadIdentity: ${variable} points at ${path}, which is empty. The token has not been projected yet (or the volume is misconfigured); check the pod's azure-identity-token volume.`,
      );
    }
    return token;
  };
  SOURCES.set(read, { kind: 'workloadIdentity', variable });
  return read;
}

/** Options of {@link githubActionsAssertion}. */
export interface GitHubActionsAssertionOptions {
  /** ACTIONS_ID_TOKEN_REQUEST_URL of the job. */
  requestUrl: string;
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN of the job (a secret: redacted everywhere). */
  requestToken: string;
  /** The audience of the OIDC token. Default `api://AzureADTokenExchange`. */
  audience?: string | undefined;
  /** Longest the token service may take (ms). Default 10 s. */
  timeoutMs?: number | undefined;
  /** Extra CA certificates (PEM), e.g. a local emulator's. */
  ca?: string | undefined;
}

/**
 * A `clientAssertion` for GitHub Actions OIDC: a fresh token from the job's token service for every
 * token request (they live about 5 minutes, so one cached is soon expired). The job needs
 * `permissions: id-token: write`.
 */
export function githubActionsAssertion(options: GitHubActionsAssertionOptions): () => Promise<string> {
  const base = requireEndpoint('githubActions', 'ACTIONS_ID_TOKEN_REQUEST_URL', options.requestUrl);
  const requestToken = requireText('githubActions', 'ACTIONS_ID_TOKEN_REQUEST_TOKEN', options.requestToken);
  const url = new URL(base.href);
  url.searchParams.set('audience', options.audience ?? TOKEN_EXCHANGE_AUDIENCE);
  let client: INetworkModule | undefined;
  const fetchToken = async () => {
    let answer: NetworkResponse<{ value?: unknown }>;
    try {
      // From the token runtime, on the first assertion: the strategy using it loads the runtime anyway.
      client ??= (await loadTokenRuntime()).networkClient({ ca: options.ca, timeoutMs: options.timeoutMs ?? 10_000 });
      answer = await client.sendGetRequestAsync<{ value?: unknown }>(url.href, {
        headers: { authorization: `Bearer ${requestToken}`, accept: 'application/json' },
      });
    } catch (error) {
      throw new KeylessError(
        'TOKEN_REQUEST_FAILED',
        `githubActions: the job's OIDC token service (ACTIONS_ID_TOKEN_REQUEST_URL, ${url.origin}) could not be reached: ${(error as Error).message}.`,
        { cause: error, secrets: [requestToken], status: 503 },
      );
    }
    if (answer.status === 401 || answer.status === 403) {
      throw new KeylessError(
        'CREDENTIAL_UNAVAILABLE',
        `githubActions: the job's OIDC token service refused ACTIONS_ID_TOKEN_REQUEST_TOKEN (${answer.status}). Give the job \`permissions: id-token: write\`; the token is only valid inside the job that received it.`,
        { secrets: [requestToken] },
      );
    }
    const value = answer.body?.value;
    if (answer.status !== 200 || typeof value !== 'string' || value === '') {
      throw new KeylessError(
        'TOKEN_REQUEST_FAILED',
        `githubActions: the job's OIDC token service answered ${answer.status} without a token.`,
        { secrets: [requestToken], status: answer.status === 200 ? 502 : answer.status },
      );
    }
    return value;
  };
  SOURCES.set(fetchToken, { kind: 'githubActions' });
  return fetchToken;
}
