import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { audienceFor, type EmulatorState, playFault, record } from './emulatorState.js';
import { checkFederatedAssertion } from './federation.js';
import { readBody, sendJson } from './http.js';
import { JWT_BEARER_GRANT, onBehalfOfGrant } from './onBehalfOfGrant.js';

/**
 * Entra ID v2 over HTTPS: OIDC metadata, instance discovery, JWKS and the client-credentials token
 * endpoint (client credentials and on-behalf-of; client secret or certificate assertion), with AADSTS
 * error bodies.
 */
export async function handleEntra(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', state.authorityHost);
  const parts = url.pathname.split('/').filter(Boolean);
  const tenant = parts[0] ?? '';
  const rest = parts.slice(1).join('/');
  const base = state.authorityHost;

  if (req.method === 'GET' && parts[0] === 'oidc') {
    // The external issuers of federated credentials: discovery document and JWKS.
    const issuer =
      parts[1] === 'kubernetes'
        ? state.federation.kubernetes
        : parts[1] === 'github'
          ? state.federation.github
          : undefined;
    const what = parts.slice(2).join('/');
    record(state, {
      endpoint: 'metadata',
      method: 'GET',
      path: url.pathname,
      status: issuer === undefined ? 404 : 200,
    });
    if (issuer !== undefined && what === '.well-known/openid-configuration')
      return sendJson(res, 200, issuer.discovery());
    if (issuer !== undefined && what === 'jwks') return sendJson(res, 200, { keys: [issuer.jwk] });
    return sendJson(res, 404, { error: 'not_found' });
  }
  if (req.method === 'GET' && url.pathname === GITHUB_TOKEN_PATH) return githubToken(state, url, req, res);
  if (req.method === 'GET' && url.pathname.startsWith('/common/discovery/instance')) {
    state.counters.metadataRequests += 1;
    const host = new URL(base).host;
    record(state, { endpoint: 'metadata', method: 'GET', path: url.pathname, status: 200 });
    return sendJson(res, 200, {
      tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }
  if (req.method === 'GET' && rest === 'v2.0/.well-known/openid-configuration') {
    state.counters.metadataRequests += 1;
    record(state, { endpoint: 'metadata', method: 'GET', path: url.pathname, status: 200 });
    return sendJson(res, 200, {
      issuer: `${base}/${tenant}/v2.0`,
      token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
      jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'microsoftonline.com',
    });
  }
  if (req.method === 'GET' && rest === 'discovery/v2.0/keys') {
    record(state, { endpoint: 'metadata', method: 'GET', path: url.pathname, status: 200 });
    return sendJson(res, 200, { keys: [state.issuer.jwk] });
  }
  if (req.method === 'POST' && rest === 'oauth2/v2.0/token') {
    state.counters.tokenRequests.entra += 1;
    const status = await tokenEndpoint(state, tenant, `${base}/${tenant}/oauth2/v2.0/token`, req, res);
    record(state, { endpoint: 'token', method: 'POST', path: url.pathname, status });
    return;
  }
  sendJson(res, 404, aadError('invalid_request', 900_561, 'The endpoint only accepts POST requests.'));
}

async function tokenEndpoint(
  state: EmulatorState,
  tenant: string,
  endpoint: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<number> {
  if (req.headers['transfer-encoding'] !== undefined) state.counters.chunkedTokenRequests += 1;
  const form = new URLSearchParams(await readBody(req));
  if (form.has('claims')) state.counters.tokenRequestsWithClaims += 1;
  if (
    await playFault(state, 'token', res, (status) =>
      aadError(
        status === 429 ? 'temporarily_unavailable' : 'server_error',
        status === 429 ? 50_196 : 90_033,
        'The service is temporarily unavailable.',
      ),
    )
  ) {
    return res.statusCode;
  }
  const fail = (status: number, error: string, code: number, text: string) => {
    sendJson(res, status, aadError(error, code, text));
    return status;
  };
  if (tenant !== state.tenantId) return fail(400, 'invalid_request', 90_002, `Tenant '${tenant}' not found.`);
  const grant = form.get('grant_type');
  if (grant !== 'client_credentials' && grant !== JWT_BEARER_GRANT) {
    return fail(400, 'unsupported_grant_type', 70_003, 'The app requested an unsupported grant type.');
  }
  if (form.get('client_id') !== state.client.clientId) {
    return fail(
      400,
      'unauthorized_client',
      700_016,
      `Application with identifier '${form.get('client_id')}' was not found in the directory.`,
    );
  }
  const scope = form.get('scope') ?? '';
  if (grant === 'client_credentials' && !scope.split(' ').some((s) => s.endsWith('/.default'))) {
    return fail(
      400,
      'invalid_scope',
      1_002_012,
      'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
    );
  }
  const secret = form.get('client_secret');
  const assertion = form.get('client_assertion');
  if (secret !== null) {
    if (secret !== state.client.clientSecret) {
      return fail(
        401,
        'invalid_client',
        7_000_215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.',
      );
    }
  } else if (assertion !== null) {
    if (form.get('client_assertion_type') !== JWT_BEARER) {
      return fail(
        400,
        'invalid_request',
        50_027,
        `Invalid client_assertion_type '${form.get('client_assertion_type')}'. Expected '${JWT_BEARER}'.`,
      );
    }
    const federated = await checkFederatedAssertion(state.federation, assertion);
    if (federated === false) {
      const problem = await checkAssertion(state, assertion, endpoint);
      if (problem !== undefined) return fail(401, 'invalid_client', problem.code, problem.text);
    } else {
      state.counters.federatedAssertions[federated === undefined ? 'accepted' : 'rejected'] += 1;
      if (federated !== undefined) return fail(401, 'invalid_client', federated.code, federated.text);
    }
  } else {
    return fail(
      401,
      'invalid_client',
      7_000_218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    );
  }
  const resource = resourceOf(scope);
  if (grant === JWT_BEARER_GRANT) {
    const result = await onBehalfOfGrant(state, form, resource);
    if (!('token' in result)) {
      sendJson(res, result.status, {
        ...aadError(result.error, result.code, result.text),
        ...(result.suberror === undefined ? {} : { suberror: result.suberror }),
      });
      return result.status;
    }
    state.counters.tokensIssued += 1;
    sendTokens(state, res, result.token, result.extra);
    return 200;
  }
  const { audience, roles } = audienceFor(state, resource, state.client.oid);
  const lifetime = state.settings.lifetimeSeconds;
  const token = await state.issuer.mint(state.client, lifetime, audience, state.settings.expireEarlySeconds, roles);
  state.counters.tokensIssued += 1;
  sendTokens(state, res, token);
  return 200;
}

/** The resource of a scope list: the first `/.default` one, else the first scope's resource part. */
function resourceOf(scope: string): string {
  const scopes = scope.split(' ').filter((s) => !['openid', 'profile', 'offline_access', 'email'].includes(s));
  const fallback = scopes[0]?.replace(/\/[^/]*$/, '') ?? '';
  return scopes.find((s) => s.endsWith('/.default'))?.replace(/\/\.default$/, '') ?? fallback;
}

function sendTokens(
  state: EmulatorState,
  res: ServerResponse,
  token: string,
  extra: Record<string, string> = {},
): void {
  const lifetime = state.settings.lifetimeSeconds;
  sendJson(res, 200, {
    token_type: 'Bearer',
    expires_in: lifetime,
    ext_expires_in: lifetime,
    ...(state.settings.refreshInSeconds === undefined ? {} : { refresh_in: state.settings.refreshInSeconds }),
    access_token: token,
    ...extra,
  });
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Where GitHub Actions' OIDC token service answers here (ACTIONS_ID_TOKEN_REQUEST_URL). */
export const GITHUB_TOKEN_PATH = '/_github/idtoken';

/**
 * GitHub's OIDC token service: checks the runner's bearer (ACTIONS_ID_TOKEN_REQUEST_TOKEN) and
 * answers `{ value }`, a fresh token for the `audience` asked, living `githubLifetimeSeconds`.
 */
async function githubToken(state: EmulatorState, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  state.counters.githubTokenRequests += 1;
  const federation = state.federation;
  const status = req.headers.authorization === `Bearer ${federation.githubRequestToken}` ? 200 : 401;
  record(state, { endpoint: 'token', method: 'GET', path: url.pathname, status });
  if (status === 401) return sendJson(res, 401, { message: 'Unauthorized: the request token is not valid.' });
  const value = await federation.github.mint({
    subject: federation.githubSubject,
    audience: url.searchParams.get('audience') ?? 'https://github.com/keyless',
    lifetimeSeconds: federation.githubLifetimeSeconds,
  });
  sendJson(res, 200, { count: 1, value });
}

async function checkAssertion(
  state: EmulatorState,
  assertion: string,
  endpoint: string,
): Promise<{ code: number; text: string } | undefined> {
  const certificate = state.client.certificate;
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    return { code: 50_027, text: 'JWT token is invalid or malformed.' };
  }
  const sha256 =
    typeof header['x5t#S256'] === 'string' ? Buffer.from(header['x5t#S256'], 'base64url').toString('hex') : undefined;
  const sha1 = typeof header.x5t === 'string' ? Buffer.from(header.x5t, 'base64url').toString('hex') : undefined;
  const expectedSha1 = createHash('sha1').update(new X509Certificate(certificate.cert).raw).digest('hex');
  if (sha256 !== certificate.thumbprintSha256 && sha1 !== expectedSha1) {
    return {
      code: 700_027,
      text: 'The certificate with identifier used to sign the client assertion is not registered on application.',
    };
  }
  try {
    await jwtVerify(assertion, new X509Certificate(certificate.cert).publicKey, {
      algorithms: ['PS256', 'RS256'],
      audience: [endpoint, endpoint.replace(/\/oauth2\/v2\.0\/token$/, '/v2.0')],
      issuer: state.client.clientId,
      subject: state.client.clientId,
      clockTolerance: 5,
      currentDate: new Date(state.now()),
    });
    return undefined;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED')
      return { code: 700_024, text: 'Client assertion is not within its valid time range.' };
    return { code: 700_027, text: `Client assertion failed signature validation (${code ?? 'invalid'}).` };
  }
}

/** An Entra ID error body, shaped like the real one. */
export function aadError(error: string, code: number, text: string): Record<string, unknown> {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    error,
    error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
    error_codes: [code],
    timestamp,
    trace_id: traceId,
    correlation_id: correlationId,
  };
}
