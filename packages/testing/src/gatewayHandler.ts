import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:http';
import { authOf } from './dataPlaneAuth.js';
import { type EmulatorState, record } from './emulatorState.js';
import { readBytes, sendJson } from './http.js';

/** The gateway's own app registration: callers need a token for this audience. */
export const GATEWAY_AUDIENCE = 'api://keyless-gateway';
/** The header API Management reads the subscription key from. */
export const SUBSCRIPTION_KEY_HEADER = 'ocp-apim-subscription-key';

const MISSING_KEY_BODY = {
  statusCode: 401,
  message:
    'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
};
const INVALID_KEY_BODY = {
  statusCode: 401,
  message:
    'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
};
// What APIM's validate-jwt policy answers by default: nothing about which audience it wants.
const INVALID_JWT_BODY = { statusCode: 401, message: 'Unauthorized. Access token is missing or invalid.' };

/**
 * An API Management-like gateway in front of the data plane, on an origin of its own: each
 * request needs the subscription key (`Ocp-Apim-Subscription-Key`) and a bearer token for the
 * gateway's app audience ({@link GATEWAY_AUDIENCE}); an `api-key` is refused (the gateway holds
 * the backend's credential). It then forwards the request to the data plane with the resource
 * key, as a gateway with its own credential does, and passes the answer back.
 */
export function gatewayHandler(state: EmulatorState, dataPlanePort: () => number) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBytes(req);
    state.counters.gatewayRequests += 1;
    const refuse = (status: number, answer: unknown) => {
      record(state, {
        endpoint: 'gateway',
        method: req.method ?? 'GET',
        path: url.pathname,
        status,
        auth: authOf(req.headers),
      });
      sendJson(res, status, answer);
    };
    const key = req.headers[SUBSCRIPTION_KEY_HEADER];
    if (key === undefined) return refuse(401, MISSING_KEY_BODY);
    if (key !== state.gatewayKey) return refuse(401, INVALID_KEY_BODY);
    if (authOf(req.headers) !== 'bearer') return refuse(401, INVALID_JWT_BODY);
    const verdict = await state.issuer.verify(String(req.headers.authorization).slice(7), [GATEWAY_AUDIENCE]);
    if (!verdict.ok) return refuse(401, INVALID_JWT_BODY);
    const headers: Record<string, string | string[] | undefined> = {
      ...req.headers,
      host: `127.0.0.1:${dataPlanePort()}`,
      'api-key': state.apiKey,
    };
    delete headers.authorization;
    delete headers[SUBSCRIPTION_KEY_HEADER];
    const upstream = request(
      { host: '127.0.0.1', port: dataPlanePort(), method: req.method, path: req.url, headers },
      (answer) => {
        record(state, {
          endpoint: 'gateway',
          method: req.method ?? 'GET',
          path: url.pathname,
          status: answer.statusCode ?? 0,
          auth: 'bearer',
        });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => sendJson(res, 502, { statusCode: 502, message: 'Bad gateway' }));
    upstream.end(body);
  };
}
