import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assistantTurn, type ToolSpec, type Turn, textOf } from './assistantTurn.js';
import { type EmulatorState, mayInfer, playFault, record } from './emulatorState.js';
import { readBody, sendJson } from './http.js';
import { responses } from './responsesApi.js';

const INVALID_TOKEN_BODY = {
  statusCode: 401,
  message:
    'Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or have expired.',
};
const INVALID_KEY_BODY = {
  error: {
    code: '401',
    message:
      'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.',
  },
};
const NOT_FOUND_BODY = { error: { code: '404', message: 'Resource not found' } };

type Auth = 'bearer' | 'api-key' | 'both' | 'none';

/**
 * The Azure OpenAI data plane: chat completions (JSON and SSE streaming) and embeddings, on the
 * `/openai/deployments/{name}/…?api-version=` paths and the `/openai/v1/…` paths, with Azure's
 * auth rules and error bodies. Answers are derived from the input, so tests can assert content.
 */
export async function handleDataPlane(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const auth = authOf(req);
  state.counters.dataPlane[auth === 'api-key' ? 'apiKey' : auth] += 1;
  const status = await answer(state, url, auth, req, res);
  if (status === 401 || (status === 400 && auth === 'both')) state.counters.dataPlaneRejected += 1;
  const tokenId = auth === 'bearer' ? jtiOf(String(req.headers.authorization)) : undefined;
  record(state, {
    endpoint: 'dataPlane',
    method: req.method ?? 'GET',
    path: url.pathname,
    status,
    auth,
    ...(tokenId === undefined ? {} : { tokenId }),
  });
}

async function answer(
  state: EmulatorState,
  url: URL,
  auth: Auth,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<number> {
  const body = await readBody(req);
  if (await playFault(state, 'dataPlane', res, (status) => faultBody(status))) return res.statusCode;
  const models = (url.pathname === '/openai/models' || url.pathname === '/openai/v1/models') && req.method === 'GET';
  const route = models ? { operation: 'models' as const, versioned: url.pathname === '/openai/models' } : routeOf(url);
  if (route === undefined || (req.method !== 'POST' && !models)) return send(res, 404, NOT_FOUND_BODY);

  if (auth === 'both') {
    return send(res, 400, {
      error: {
        code: 'BadRequest',
        message: 'Only one of the api-key header or the Authorization header may be provided.',
      },
    });
  }
  if (auth === 'none') return send(res, 401, INVALID_TOKEN_BODY);
  if (auth === 'api-key') {
    if (req.headers['api-key'] !== state.apiKey) return send(res, 401, INVALID_KEY_BODY);
  } else {
    const verdict = await state.issuer.verify(String(req.headers.authorization).replace(/^Bearer /i, ''));
    if (!verdict.ok) {
      if (verdict.reason === 'expired') state.counters.expiredTokensReceived += 1;
      if (verdict.reason === 'challenged') {
        state.counters.claimsChallengesSent += 1;
        const claims = Buffer.from(verdict.claims).toString('base64');
        return send(res, 401, INVALID_TOKEN_BODY, {
          'www-authenticate': `Bearer realm="", authorization_uri="${state.authorityHost}/${state.tenantId}/oauth2/authorize", error="insufficient_claims", claims="${claims}"`,
        });
      }
      return send(res, 401, INVALID_TOKEN_BODY);
    }
    if (!mayInfer(state, verdict.claims.oid)) {
      return send(res, 401, {
        error: {
          code: 'PermissionDenied',
          message: `The principal \`${verdict.claims.oid}\` lacks the required data action \`Microsoft.CognitiveServices/accounts/OpenAI/${dataAction(route.operation)}\` to perform \`${route.operation === 'models' ? 'GET /openai/models' : route.operation === 'responses' ? 'POST /openai/v1/responses' : `POST /openai/deployments/{deployment-id}/${route.operation === 'chat' ? 'chat/completions' : 'embeddings'}`}\` operation.`,
        },
      });
    }
  }
  if (route.versioned && !url.searchParams.get('api-version')) return send(res, 404, NOT_FOUND_BODY);
  if (route.operation === 'models') {
    return send(res, 200, {
      object: 'list',
      data: [...state.deployments.keys()].map((id) => ({ id, object: 'model', status: 'succeeded' })),
    });
  }

  let input: Record<string, unknown>;
  try {
    input = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return send(res, 400, { error: { code: 'BadRequest', message: 'The request body is not valid JSON.' } });
  }
  const deployment = route.deployment ?? String(input.model ?? '');
  const kind = state.deployments.get(deployment);
  if (kind === undefined) {
    return send(res, 404, {
      error: {
        code: 'DeploymentNotFound',
        message:
          'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
      },
    });
  }
  if (kind !== (route.operation === 'embeddings' ? 'embeddings' : 'chat')) {
    return send(res, 400, {
      error: {
        code: 'OperationNotSupported',
        message: `The ${route.operation} operation does not work with the specified model. Please choose different model and try again.`,
      },
    });
  }
  if (route.operation === 'responses') return responses(res, deployment, input);
  return route.operation === 'chat' ? chat(res, deployment, input) : embeddings(res, deployment, input);
}

function dataAction(operation: 'chat' | 'embeddings' | 'responses' | 'models'): string {
  if (operation === 'models') return 'models/read';
  if (operation === 'responses') return 'responses/write';
  return `deployments/${operation === 'chat' ? 'chat/completions' : 'embeddings'}/action`;
}

function routeOf(
  url: URL,
): { operation: 'chat' | 'embeddings' | 'responses'; deployment?: string; versioned: boolean } | undefined {
  const deployed = /^\/openai\/deployments\/([^/]+)\/(chat\/completions|embeddings)$/.exec(url.pathname);
  if (deployed?.[1] !== undefined) {
    return {
      operation: deployed[2] === 'embeddings' ? 'embeddings' : 'chat',
      deployment: decodeURIComponent(deployed[1]),
      versioned: true,
    };
  }
  // `/openai/v1/…`, and the same without `v1`: what @ai-sdk/azure (3.0.69+) sends to a host that is
  // not an Azure one, such as this emulator's 127.0.0.1.
  const v1 = /^\/openai\/(?:v1\/)?(chat\/completions|embeddings|responses)$/.exec(url.pathname);
  if (v1 !== null) {
    return {
      operation: v1[1] === 'embeddings' ? 'embeddings' : v1[1] === 'responses' ? 'responses' : 'chat',
      versioned: false,
    };
  }
  return undefined;
}

function authOf(req: IncomingMessage): Auth {
  const key = req.headers['api-key'] !== undefined;
  const bearer = typeof req.headers.authorization === 'string' && /^Bearer /i.test(req.headers.authorization);
  return key && bearer ? 'both' : key ? 'api-key' : bearer ? 'bearer' : 'none';
}

/** The deterministic answer: the last user message, echoed. */
export function answerFor(messages: unknown): string {
  const list = Array.isArray(messages) ? (messages as Array<{ role?: string; content?: unknown }>) : [];
  const last = [...list].reverse().find((m) => m.role === 'user');
  const content = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
  return `Echo: ${content}`;
}

function chat(res: ServerResponse, deployment: string, input: Record<string, unknown>): number {
  const messages = Array.isArray(input.messages) ? (input.messages as Array<Record<string, unknown>>) : [];
  const turns: Turn[] = messages.map((m) => ({ role: m.role as Turn['role'], text: textOf(m.content) }));
  const tools = (Array.isArray(input.tools) ? (input.tools as Array<{ function?: ToolSpec }>) : [])
    .map((t) => t.function)
    .filter((t): t is ToolSpec => t !== undefined);
  const format =
    (input.response_format as { type?: string; json_schema?: { schema?: unknown } } | undefined)?.type === 'json_schema'
      ? ((input.response_format as { json_schema?: { schema?: unknown } }).json_schema?.schema ?? {})
      : undefined;
  const turn = assistantTurn(turns, tools, format);
  const content = turn.kind === 'text' ? turn.text : '';
  const toolCall =
    turn.kind === 'tool'
      ? { id: turn.callId, type: 'function', function: { name: turn.name, arguments: turn.arguments } }
      : undefined;
  const finish = toolCall === undefined ? 'stop' : 'tool_calls';
  const id = `chatcmpl-${createHash('sha1')
    .update(content + (toolCall?.id ?? ''))
    .digest('hex')
    .slice(0, 24)}`;
  const created = Math.floor(Date.now() / 1000);
  const words = Math.max(1, content.split(' ').length);
  const usage = { prompt_tokens: words, completion_tokens: words, total_tokens: 2 * words };
  if (input.stream === true) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: deployment, choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`;
    res.write(
      `data: ${JSON.stringify({ id: '', object: '', created: 0, model: '', choices: [], prompt_filter_results: [] })}\n\n`,
    );
    res.write(chunk({ role: 'assistant', content: '' }, null));
    if (toolCall !== undefined) {
      res.write(
        chunk(
          {
            tool_calls: [
              { index: 0, ...toolCall, function: { name: turn.kind === 'tool' ? turn.name : '', arguments: '' } },
            ],
          },
          null,
        ),
      );
      res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: toolCall.function.arguments } }] }, null));
    }
    for (const word of content === '' ? [] : content.split(/(?<= )/)) res.write(chunk({ content: word }, null));
    res.write(chunk({}, finish));
    if (input.stream_options !== undefined) {
      res.write(
        `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: deployment, choices: [], usage })}\n\n`,
      );
    }
    res.end('data: [DONE]\n\n');
    return 200;
  }
  return send(res, 200, {
    id,
    object: 'chat.completion',
    created,
    model: deployment,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: toolCall === undefined ? content : null,
          ...(toolCall === undefined ? {} : { tool_calls: [toolCall] }),
        },
        finish_reason: finish,
        logprobs: null,
      },
    ],
    usage,
  });
}

/** A deterministic unit vector for a text: equal texts embed equally, similar texts nearby. */
export function embed(text: string, dimensions = 16): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) {
    const digest = createHash('sha256').update(word).digest();
    for (let i = 0; i < dimensions; i++)
      vector[i] = (vector[i] ?? 0) + ((digest[i % digest.length] ?? 0) - 127.5) / 127.5;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

function embeddings(res: ServerResponse, deployment: string, input: Record<string, unknown>): number {
  const texts = Array.isArray(input.input) ? input.input.map(String) : [String(input.input ?? '')];
  const dimensions = typeof input.dimensions === 'number' ? input.dimensions : 16;
  const base64 = input.encoding_format === 'base64';
  return send(res, 200, {
    object: 'list',
    model: deployment,
    data: texts.map((text, index) => {
      const vector = embed(text, dimensions);
      return {
        object: 'embedding',
        index,
        embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
      };
    }),
    usage: { prompt_tokens: texts.join(' ').split(' ').length, total_tokens: texts.join(' ').split(' ').length },
  });
}

function faultBody(status: number): unknown {
  if (status === 429) {
    return {
      error: {
        code: '429',
        message:
          'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current tier. Please retry after 1 second.',
      },
    };
  }
  if (status === 401) return INVALID_TOKEN_BODY;
  return { error: { code: String(status), message: 'The service is temporarily unavailable.' } };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): number {
  sendJson(res, status, body, {
    ...(status === 429 ? {} : { 'x-ratelimit-remaining-requests': '999', 'x-ratelimit-remaining-tokens': '99999' }),
    ...headers,
  });
  return status;
}

function jtiOf(authorization: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(authorization.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      jti?: unknown;
    };
    return typeof payload.jti === 'string' ? payload.jti : undefined;
  } catch {
    return undefined;
  }
}
