import type { IncomingMessage, ServerResponse } from 'node:http';
import { audienceFor, type EmulatorState, type ExpiresOnFormat, playFault, record } from './emulatorState.js';
import { sendJson } from './http.js';
import type { Principal } from './tokenIssuer.js';

/** Path of the App Service managed-identity endpoint (IDENTITY_ENDPOINT). */
export const APP_SERVICE_PATH = '/msi/token';
/** Path of the IMDS token endpoint (note the trailing slash, as the real one). */
export const IMDS_PATH = '/metadata/identity/oauth2/token/';

/**
 * Managed identity: the App Service protocol (`x-identity-header`, api-version 2019-08-01) and
 * IMDS (`Metadata: true`, api-version 2018-02-01). Errors always carry a body: an empty one
 * surfaces in msal as a confusing "no expiresOn" error.
 */
export async function handleManagedIdentity(
  state: EmulatorState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const appService = url.pathname === APP_SERVICE_PATH;
  const imds = url.pathname === IMDS_PATH || url.pathname === IMDS_PATH.slice(0, -1);
  if (!appService && !imds) return false;
  const endpoint = appService ? 'appService' : 'imds';
  // A request to IMDS without `Metadata: true` is a probe (is anything there?), not a token request.
  if (appService || req.headers.metadata === 'true') state.counters.tokenRequests[endpoint] += 1;
  const status = await answer(state, url, req, res, appService);
  record(state, { endpoint, method: req.method ?? 'GET', path: url.pathname, status });
  return true;
}

async function answer(
  state: EmulatorState,
  url: URL,
  req: IncomingMessage,
  res: ServerResponse,
  appService: boolean,
): Promise<number> {
  const fail = (status: number, error: string, description: string) => {
    sendJson(
      res,
      status,
      appService
        ? { statusCode: status, message: description, correlationId: crypto.randomUUID() }
        : { error, error_description: description },
    );
    return status;
  };
  if (appService) {
    if (req.headers['x-identity-header'] !== state.identityHeader) {
      return fail(401, 'unauthorized', 'The X-IDENTITY-HEADER is missing or does not match IDENTITY_HEADER.');
    }
  } else if (req.headers.metadata !== 'true') {
    return fail(400, 'invalid_request', 'Required metadata header not specified');
  }
  if (
    await playFault(state, appService ? 'appService' : 'imds', res, (status) =>
      appService
        ? { statusCode: status, message: 'The managed identity endpoint is unavailable.' }
        : { error: 'server_error', error_description: 'IMDS is unavailable.' },
    )
  ) {
    return res.statusCode;
  }
  const expectedVersion = appService ? '2019-08-01' : '2018-02-01';
  if (url.searchParams.get('api-version') !== expectedVersion) {
    return fail(400, 'invalid_request', `api-version ${expectedVersion} is required.`);
  }
  const resource = url.searchParams.get('resource');
  if (resource === null || resource === '')
    return fail(400, 'invalid_request', 'Required query variable "resource" is missing.');
  const principal = pickIdentity(state, url.searchParams);
  if (principal === undefined) {
    return fail(
      400,
      'invalid_request',
      'Identity not found: no user-assigned identity matches the given client_id, mi_res_id/msi_res_id or object_id.',
    );
  }
  const lifetime = state.settings.lifetimeSeconds;
  const { audience, roles } = audienceFor(state, resource, principal.oid);
  const token = await state.issuer.mint(principal, lifetime, audience, state.settings.expireEarlySeconds, roles);
  state.counters.tokensIssued += 1;
  const expiresOn = formatExpiry(Math.floor(state.now() / 1000) + lifetime, state.settings.expiresOnFormat);
  sendJson(res, 200, {
    access_token: token,
    expires_on: expiresOn,
    ...(appService
      ? { client_id: principal.appId }
      : { expires_in: String(lifetime), refresh_token: '', not_before: String(Math.floor(state.now() / 1000)) }),
    resource,
    token_type: 'Bearer',
  });
  return 200;
}

function pickIdentity(state: EmulatorState, query: URLSearchParams): Principal | undefined {
  const user = state.userIdentity;
  const clientId = query.get('client_id');
  const resourceId = query.get('mi_res_id') ?? query.get('msi_res_id');
  const objectId = query.get('object_id') ?? query.get('principal_id');
  if (clientId !== null) return clientId === user.clientId ? user : undefined;
  if (resourceId !== null) return resourceId.toLowerCase() === user.resourceId.toLowerCase() ? user : undefined;
  if (objectId !== null) return objectId === user.oid ? user : undefined;
  return state.systemIdentity;
}

function formatExpiry(epochSeconds: number, format: ExpiresOnFormat): string | number {
  switch (format) {
    case 'epoch-number':
      return epochSeconds;
    case 'epoch-string':
      return String(epochSeconds);
    case 'iso':
      return new Date(epochSeconds * 1000).toISOString();
    case 'date':
      return new Date(epochSeconds * 1000).toUTCString();
  }
}
