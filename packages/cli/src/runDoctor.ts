import { type Auth, authFromEnv, decodeJwtClaims, type Env, isKeylessError } from '@keyless/core';
import {
  AI_AUDIENCE,
  audienceOfScope,
  authForEndpoint,
  explainEnvStrategy,
  type ResolvedSettings,
  redactText,
  resolveSettings,
  resourceEndpoint,
  scopeForEndpoint,
} from '@keyless/core/adapter';
import type { Diagnosis, Outcome, Step } from './diagnosis.js';
import { inspectToken } from './inspectToken.js';
import { probeEndpoint } from './probeEndpoint.js';

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  env: Env;
  endpoint?: string | undefined;
  deployment?: string | undefined;
  apiVersion?: string | undefined;
  /** Called as each step starts, for a progress line. */
  onStep?: ((name: string) => void) | undefined;
}

const DEFAULT_API_VERSION = '2024-10-21';

/**
 * Diagnoses the environment the way authFromEnv() reads it: which strategy and why, the token's
 * claims (never the token), its audience, and one authenticated call, classified.
 */
export async function runDoctor(options: DoctorOptions): Promise<Diagnosis> {
  const steps: Step[] = [];
  const finish = (outcome: Outcome, fix?: string): Diagnosis => ({
    outcome,
    ok: outcome === 'ok',
    steps,
    ...(fix === undefined ? {} : { fix }),
  });
  const { env } = options;

  options.onStep?.('configuration');
  let auth: Auth;
  let target: ResolvedSettings;
  // The credential's settings; the endpoint is a step of its own, below.
  const { AZURE_OPENAI_ENDPOINT: _endpoint, ...credentialEnv } = env;
  try {
    const explained = explainEnvStrategy(credentialEnv);
    auth = authFromEnv({ env: credentialEnv });
    target = resolveSettings(credentialEnv);
    steps.push({
      name: 'configuration',
      ok: true,
      detail: `strategy ${explained.kind}, because ${explained.reason}`,
      data: {
        strategy: explained.kind,
        reason: explained.reason,
        settings: explained.settings,
        used: explained.used,
        ignored: explained.ignored,
      },
    });
  } catch (error) {
    steps.push({
      name: 'configuration',
      ok: false,
      detail: isKeylessError(error) ? error.message : redactText(String(error)),
    });
    return finish('config', 'Fix the variable the message names (see TROUBLESHOOTING.md).');
  }

  // Workload identity and GitHub Actions: whose token is presented to Entra (decoded, never shown).
  const strategy = target.strategy;
  if (strategy.kind === 'msalConfidentialClient' && strategy.clientAssertion !== undefined) {
    options.onStep?.('federated credential');
    try {
      const claims = decodeJwtClaims(await strategy.clientAssertion());
      const audience = Array.isArray(claims?.aud) ? claims.aud.join(', ') : String(claims?.aud ?? '?');
      const secondsLeft = typeof claims?.exp === 'number' ? Math.round(claims.exp - Date.now() / 1000) : undefined;
      steps.push({
        name: 'federated credential',
        ok: secondsLeft === undefined || secondsLeft > 0,
        detail: `issuer ${claims?.iss ?? '?'}, subject ${String(claims?.sub ?? '?')}, audience ${audience}, ${secondsLeft === undefined ? 'no expiry' : secondsLeft > 0 ? `${secondsLeft} s left` : `expired ${-secondsLeft} s ago`}: the app registration needs a federated credential with exactly this issuer and subject`,
        data: { issuer: claims?.iss, subject: claims?.sub, audience, secondsLeft },
      });
    } catch (error) {
      steps.push({
        name: 'federated credential',
        ok: false,
        detail: isKeylessError(error) ? error.message : redactText(String(error)),
      });
      return finish('credential', 'See the message above: it names the variable and what to check.');
    }
  }

  // The endpoint is checked before any token is asked for, whether the variable is empty or unset.
  options.onStep?.('endpoint');
  const endpointText = nonEmpty(options.endpoint) ?? nonEmpty(env.AZURE_OPENAI_ENDPOINT);
  const deployment = options.deployment ?? target.deployment;
  const apiVersion = options.apiVersion ?? target.apiVersion ?? DEFAULT_API_VERSION;
  if (endpointText === undefined) {
    steps.push({ name: 'endpoint', ok: false, detail: 'no endpoint: AZURE_OPENAI_ENDPOINT is empty or unset' });
    return finish('config', 'Pass --endpoint https://<resource>.openai.azure.com or set AZURE_OPENAI_ENDPOINT.');
  }
  let endpoint: string;
  try {
    // The rule every adapter applies, so the probe below calls exactly the URL they would.
    endpoint = resourceEndpoint('keyless doctor', '--endpoint / AZURE_OPENAI_ENDPOINT', endpointText);
  } catch (error) {
    steps.push({ name: 'endpoint', ok: false, detail: (error as Error).message });
    return finish('config', 'Use the resource endpoint the message gives.');
  }
  steps.push({ name: 'endpoint', ok: true, detail: endpoint });
  // The scope the endpoint calls for, as the adapters take it (a Foundry project: ai.azure.com).
  auth = authForEndpoint(auth, endpoint);
  const wantedAudience = audienceOfScope(auth.scope);

  options.onStep?.('token');
  let oid: string | undefined;
  let user: { upn?: string | undefined } | undefined;
  if (auth.kind === 'apiKey') {
    steps.push({ name: 'token', ok: true, detail: 'API key strategy: no token (requests carry the api-key header)' });
  } else {
    try {
      const token = await auth.getToken();
      const facts = inspectToken(token);
      oid = facts?.oid;
      user = facts?.user === true ? { upn: facts.upn } : undefined;
      steps.push({
        name: 'token',
        ok: true,
        detail:
          facts === undefined
            ? 'acquired (not a JWT: claims unreadable)'
            : `acquired for oid ${facts.oid ?? '?'} (appid ${facts.appid ?? '?'}, tenant ${facts.tid ?? '?'}), ${facts.secondsLeft ?? '?'} s left`,
        data: facts === undefined ? {} : { ...facts },
      });
      // A Foundry project accepts only its audience; a classic resource either Azure AI one.
      const project = scopeForEndpoint(endpoint).scope === `${AI_AUDIENCE}/.default`;
      const audienceOk = facts === undefined || (project ? facts.aud === AI_AUDIENCE : facts.audienceOk);
      if (!audienceOk) {
        steps.push({
          name: 'audience',
          ok: false,
          detail: `the token's audience is ${JSON.stringify(facts?.aud)}, not ${wantedAudience}${project ? ' (a Foundry project endpoint accepts only that one)' : ''}`,
        });
        return finish(
          'wrong-audience',
          `Request the scope ${wantedAudience}/.default${auth.scopeExplicit ? ' (you set scope: change it)' : ''}; a token for another API is always rejected.`,
        );
      }
      steps.push({ name: 'audience', ok: true, detail: String(facts?.aud ?? wantedAudience) });
    } catch (error) {
      steps.push({
        name: 'token',
        ok: false,
        detail: isKeylessError(error) ? error.message : redactText(String(error)),
      });
      return finish('credential', 'See the message above: it names the failing credential and the fix.');
    }
  }

  options.onStep?.('call');
  const result = await probeEndpoint({
    endpoint,
    deployment,
    apiVersion,
    headers: await auth.getRequestHeaders(),
    oid,
    user,
  });
  steps.push({
    name: 'call',
    ok: result.outcome === 'ok',
    detail: auth.redact(result.detail),
    data: { endpoint, deployment, apiVersion, status: result.status },
  });
  return finish(result.outcome, result.fix);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
