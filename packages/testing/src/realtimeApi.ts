import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { authOf, presentedTokenOf, refusalOf, underProject } from './dataPlaneAuth.js';
import { type EmulatorState, record } from './emulatorState.js';

/** The GA Realtime paths: `/openai/v1/realtime?model=` and `/openai/realtime?api-version=&deployment=`. */
const REALTIME_PATH = /^\/openai\/(?:v1\/)?realtime$/;

/**
 * The Azure OpenAI Realtime API over WebSocket, as the openai SDK's `OpenAIRealtimeWS` opens it:
 * the handshake is authorized exactly like an HTTP data-plane call (401 for a bad or expired
 * token or key, PermissionDenied without a role, 400 with both headers) and answered with an
 * HTTP error instead of an upgrade; an accepted session sends `session.created`, and answers
 * `response.create` with the last user message echoed as `response.output_text.delta` events
 * and `response.done`. Returns the handler of the HTTP server's `upgrade` event.
 */
export function realtimeUpgradeHandler(
  state: EmulatorState,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const server = new WebSocketServer({ noServer: true });
  return (req, socket, head) => {
    handshake(state, server, req, socket, head).catch(() => socket.destroy());
  };
}

async function handshake(
  state: EmulatorState,
  server: WebSocketServer,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const project = underProject(url);
  const auth = authOf(req.headers);
  const presented = presentedTokenOf(req.headers);
  const done = (status: number) =>
    record(state, {
      endpoint: 'dataPlane',
      method: 'GET',
      path: url.pathname,
      status,
      auth,
      ...presented,
    });
  state.counters.dataPlane[auth === 'api-key' ? 'apiKey' : auth] += 1;
  const versioned = url.pathname === '/openai/realtime';
  const deployment = versioned ? url.searchParams.get('deployment') : url.searchParams.get('model');
  if (!REALTIME_PATH.test(url.pathname) || (versioned && !url.searchParams.get('api-version'))) {
    done(404);
    return refuse(socket, 404, { error: { code: '404', message: 'Resource not found' } });
  }
  const refusal = await refusalOf(state, req.headers, {
    action: 'Microsoft.CognitiveServices/accounts/OpenAI/realtime/action',
    operation: 'GET /openai/v1/realtime',
    path: url.pathname,
    project,
  });
  if (refusal !== undefined) {
    state.counters.dataPlaneRejected += 1;
    done(refusal.status);
    return refuse(socket, refusal.status, refusal.body, refusal.headers);
  }
  if (deployment === null || state.deployments.get(deployment) !== 'chat') {
    done(404);
    return refuse(socket, 404, {
      error: { code: 'DeploymentNotFound', message: 'The API deployment for this resource does not exist.' },
    });
  }
  done(101);
  state.counters.realtimeSessions += 1;
  server.handleUpgrade(req, socket, head, (ws) => session(ws, deployment));
}

/** Answers a refused handshake the way Azure does: an HTTP error with a JSON body, then close. */
function refuse(socket: Duplex, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  const lines = [
    `HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 401 ? 'Unauthorized' : 'Not Found'}`,
    'content-type: application/json',
    `content-length: ${Buffer.byteLength(text)}`,
    'connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${text}`);
}

function session(ws: WebSocket, deployment: string): void {
  const sessionId = `sess_${randomUUID().replaceAll('-', '')}`;
  const send = (event: Record<string, unknown>) =>
    ws.send(JSON.stringify({ event_id: `event_${randomUUID().replaceAll('-', '')}`, ...event }));
  const items: Array<{ role: string; text: string }> = [];
  let instructions = '';
  send({
    type: 'session.created',
    session: {
      id: sessionId,
      object: 'realtime.session',
      type: 'realtime',
      model: deployment,
      output_modalities: ['text'],
    },
  });
  ws.on('message', (data) => {
    let event: { type?: unknown; item?: Record<string, unknown>; session?: Record<string, unknown> };
    try {
      event = JSON.parse(String(data)) as typeof event;
    } catch {
      send({ type: 'error', error: { type: 'invalid_request_error', code: 'invalid_json', message: 'Not JSON.' } });
      return;
    }
    switch (event.type) {
      case 'session.update':
        if (typeof event.session?.instructions === 'string') instructions = event.session.instructions;
        send({ type: 'session.updated', session: { id: sessionId, model: deployment, instructions } });
        return;
      case 'conversation.item.create': {
        const item: Record<string, unknown> = { id: `item_${randomUUID().replaceAll('-', '')}`, ...event.item };
        items.push({ role: String(item.role ?? 'user'), text: textOf(item.content) });
        send({ type: 'conversation.item.added', item });
        send({ type: 'conversation.item.done', item });
        return;
      }
      case 'response.create':
        return respond(send, items);
      default:
        send({
          type: 'error',
          error: {
            type: 'invalid_request_error',
            code: 'unknown_event',
            message: `Unknown event type ${JSON.stringify(event.type)}.`,
          },
        });
    }
  });
}

function respond(send: (event: Record<string, unknown>) => void, items: Array<{ role: string; text: string }>): void {
  const responseId = `resp_${randomUUID().replaceAll('-', '')}`;
  const itemId = `item_${randomUUID().replaceAll('-', '')}`;
  const last = [...items].reverse().find((item) => item.role === 'user');
  const text = `Echo: ${last?.text ?? ''}`;
  send({
    type: 'response.created',
    response: { id: responseId, object: 'realtime.response', status: 'in_progress', output: [] },
  });
  send({
    type: 'response.output_item.added',
    response_id: responseId,
    output_index: 0,
    item: { id: itemId, type: 'message', role: 'assistant', content: [] },
  });
  for (const delta of text.split(/(?<= )/)) {
    send({
      type: 'response.output_text.delta',
      response_id: responseId,
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      delta,
    });
  }
  send({
    type: 'response.output_text.done',
    response_id: responseId,
    item_id: itemId,
    output_index: 0,
    content_index: 0,
    text,
  });
  const item = {
    id: itemId,
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text }],
  };
  send({ type: 'response.output_item.done', response_id: responseId, output_index: 0, item });
  send({
    type: 'response.done',
    response: { id: responseId, object: 'realtime.response', status: 'completed', output: [item] },
  });
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return typeof content === 'string' ? content : '';
  return content
    .map((part: { text?: unknown; transcript?: unknown }) =>
      typeof part?.text === 'string' ? part.text : typeof part?.transcript === 'string' ? part.transcript : '',
    )
    .join('');
}
