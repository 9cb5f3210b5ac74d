import {
  classifyAuthFailure,
  OPENAI_USER_ROLE,
  ROLE_ADVICE,
  redactText,
  roleForDataAction,
} from '@keyless/core/adapter';
import type { Outcome } from './diagnosis.js';
import { explainNetworkError } from './explainNetworkError.js';

/** Where to probe, and with which headers. */
export interface Probe {
  endpoint: string;
  deployment?: string | undefined;
  apiVersion: string;
  headers: Readonly<Record<string, string>>;
  /** The principal's oid (from the token), to print in the role command. */
  oid?: string | undefined;
  /** Set when the token is a user's: the role command then names a User principal. */
  user?: { upn?: string | undefined } | undefined;
  fetch?: typeof fetch;
}

/** What the probe found. */
export interface ProbeResult {
  outcome: Outcome;
  status?: number;
  detail: string;
  fix?: string;
}

/**
 * The cheapest authenticated call: a one-token chat completion on the deployment when one is
 * named (it proves the role on the data action users need), else listing the models.
 */
export async function probeEndpoint(probe: Probe): Promise<ProbeResult> {
  const base = probe.endpoint.replace(/\/+$/, '');
  const url =
    probe.deployment === undefined
      ? `${base}/openai/models?api-version=${encodeURIComponent(probe.apiVersion)}`
      : `${base}/openai/deployments/${encodeURIComponent(probe.deployment)}/chat/completions?api-version=${encodeURIComponent(probe.apiVersion)}`;
  let response: Response;
  try {
    response = await (probe.fetch ?? fetch)(url, {
      method: probe.deployment === undefined ? 'GET' : 'POST',
      headers: { ...probe.headers, 'content-type': 'application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(15_000),
      ...(probe.deployment === undefined
        ? {}
        : { body: JSON.stringify({ messages: [{ role: 'user', content: 'ping' }], max_tokens: 1 }) }),
    });
  } catch (error) {
    const { errno, fix } = explainNetworkError(error);
    return { outcome: 'network', detail: `could not reach ${new URL(base).origin} (${errno})`, fix };
  }
  const status = response.status;
  const body = await response.text();
  if (response.ok)
    return {
      outcome: 'ok',
      status,
      detail: `${status} from ${probe.deployment === undefined ? 'the models list' : `deployment ${probe.deployment}`}`,
    };
  if (status === 429) {
    const wait =
      response.headers.get('retry-after-ms') ??
      (response.headers.get('retry-after') === null ? undefined : `${response.headers.get('retry-after')} s`);
    return {
      outcome: 'throttled',
      status,
      detail: `429: throttled${wait === undefined ? '' : `, retry after ${wait}`}`,
      fix: 'Wait, raise the deployment quota (TPM/RPM) or spread the load.',
    };
  }
  if (/DeploymentNotFound/.test(body)) {
    return {
      outcome: 'deployment-not-found',
      status,
      detail: `deployment "${probe.deployment}" does not exist on this resource`,
      fix: 'Use the deployment name (not the model name) from the Azure AI Foundry portal, or wait 5 minutes after creating it.',
    };
  }
  const failure = classifyAuthFailure(status, response.headers.get('www-authenticate'), body);
  switch (failure.kind) {
    case 'permissionDenied': {
      const oid = probe.oid ?? '<object id of the principal>';
      const name = new URL(base).hostname.split('.')[0] ?? '<resource>';
      const role = roleForDataAction(failure.action);
      const who = probe.user === undefined ? `principal ${oid}` : `user ${probe.user.upn ?? ''} (oid ${oid})`;
      return {
        outcome: 'permission-denied',
        status,
        detail: `the token is valid, but ${who} has no role that allows calling this resource${failure.action === undefined ? '' : ` (it lacks ${failure.action})`}. ${role === OPENAI_USER_ROLE ? ROLE_ADVICE : `Assign "${role}"`}`,
        fix: `az role assignment create --role "${role}" --assignee-object-id ${oid} --assignee-principal-type ${probe.user === undefined ? 'ServicePrincipal' : 'User'} --scope $(az cognitiveservices account list --query "[?name=='${name}'].id" -o tsv)   # then wait up to 5 minutes`,
      };
    }
    case 'keyAuthDisabled':
      return {
        outcome: 'key-auth-disabled',
        status,
        detail: 'this resource has key authentication disabled (disableLocalAuth): no API key works on it',
        fix: 'Use a token strategy (managedIdentity, msalConfidentialClient, or default after az login): remove AZURE_OPENAI_API_KEY or set KEYLESS_STRATEGY, and grant its principal "Cognitive Services OpenAI User".',
      };
    case 'invalidKey':
      return {
        outcome: 'bad-key',
        status,
        detail: 'the API key was rejected',
        fix: 'Copy key 1 or 2 of this resource (Keys and Endpoint), or use Entra ID instead.',
      };
    case 'invalidToken':
    case 'claimsChallenge':
      return {
        outcome: 'invalid-token',
        status,
        detail: `the token was rejected (invalid, expired or wrong audience)${failure.kind === 'invalidToken' && failure.audience !== undefined ? `; the resource accepts ${failure.audience}` : ''}`,
        fix: `Request the scope ${failure.kind === 'invalidToken' && failure.audience !== undefined ? failure.audience : 'https://cognitiveservices.azure.com'}/.default and check this machine's clock.`,
      };
    case 'other':
      break;
  }
  if (status === 404) {
    return {
      outcome: 'wrong-endpoint',
      status,
      detail: '404: no Azure OpenAI API at this address',
      fix: 'Use the resource endpoint https://<resource>.openai.azure.com (or the cognitiveservices one), and a valid api-version.',
    };
  }
  if (status >= 300 && status < 400) {
    return {
      outcome: 'wrong-endpoint',
      status,
      detail: `${status}: the endpoint redirects (credentials are never followed there)`,
      fix: 'Use the resource endpoint itself.',
    };
  }
  return { outcome: 'unexpected', status, detail: `${status}: ${redactText(body.slice(0, 300))}` };
}
