import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assistantTurn, type ToolSpec, type Turn, textOf } from './assistantTurn.js';
import { authOf, INVALID_TOKEN_BODY, presentedTokenOf, refusalOf, underProject } from './dataPlaneAuth.js';
import { type EmulatorState, playFault, record } from './emulatorState.js';
import { FILES_PATH, listFiles, uploadFile } from './filesApi.js';
import { readBytes, sendJson } from './http.js';
import { responses } from './responsesApi.js';

const NOT_FOUND_BODY = { error: { code: '404', message: 'Resource not found' } };

/**
 * The Azure OpenAI data plane: chat completions (JSON and SSE streaming) and embeddings, on the
 * `/openai/deployments/{name}/…?api-version=` paths and the `/openai/v1/…` paths, with Azure's
 * auth rules and error bodies. Answers are derived from the input, so tests can assert content.
 */
export async function handleDataPlane(state: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const auth = authOf(req.headers);
  state.counters.dataPlane[auth === 'api-key' ? 'apiKey' : auth] += 1;
  const status = await answer(state, url, req, res);
  if (status === 401 || (status === 400 && auth === 'both')) state.counters.dataPlaneRejected += 1;
  const presented = presentedTokenOf(req.headers);
  record(state, {
    endpoint: 'dataPlane',
    method: req.method ?? 'GET',
    path: url.pathname,
    status,
    auth,
    ...presented,
  });
}

const OPENAI_ACTIONS = 'Microsoft.CognitiveServices/accounts/OpenAI/';
const AGENTS_READ = 'Microsoft.CognitiveServices/accounts/AIServices/agents/read';

async function answer(state: EmulatorState, url: URL, req: IncomingMessage, res: ServerResponse): Promise<number> {
  const bytes = await readBytes(req);
  if (await playFault(state, 'dataPlane', res, (status) => faultBody(status))) return res.statusCode;
  // A Foundry project endpoint: `/api/projects/{project}` before the usual paths, ai.azure.com tokens only.
  const project = underProject(url);
  const target = (action: string, operation: string) => ({ action, operation, path: url.pathname, project });
  if (project && url.pathname === '/assistants' && req.method === 'GET') {
    const refusal = await refusalOf(
      state,
      req.headers,
      target(AGENTS_READ, 'GET /api/projects/{projectName}/assistants'),
    );
    if (refusal !== undefined) return send(res, refusal.status, refusal.body, refusal.headers);
    return send(res, 200, { object: 'list', data: [], first_id: null, last_id: null, has_more: false });
  }
  if (FILES_PATH.test(url.pathname) && (req.method === 'POST' || req.method === 'GET')) {
    const refusal = await refusalOf(
      state,
      req.headers,
      target(
        `${OPENAI_ACTIONS}${req.method === 'POST' ? 'files/import/action' : 'files/read'}`,
        `${req.method} /openai/files`,
      ),
    );
    if (refusal !== undefined) return send(res, refusal.status, refusal.body, refusal.headers);
    return req.method === 'POST' ? uploadFile(state, res, req.headers['content-type'], bytes) : listFiles(state, res);
  }
  const body = bytes.toString('utf8');
  const models = (url.pathname === '/openai/models' || url.pathname === '/openai/v1/models') && req.method === 'GET';
  const route = models ? { operation: 'models' as const, versioned: url.pathname === '/openai/models' } : routeOf(url);
  if (route === undefined || (req.method !== 'POST' && !models)) return send(res, 404, NOT_FOUND_BODY);

  const refusal = await refusalOf(
    state,
    req.headers,
    target(`${OPENAI_ACTIONS}${dataAction(route.operation)}`, operationName(route.operation)),
  );
  if (refusal !== undefined) return send(res, refusal.status, refusal.body, refusal.headers);
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
  if (route.operation === 'responses') return responses(res, deployment, input, state.now());
  return route.operation === 'chat' ? chat(res, deployment, input, state.now()) : embeddings(res, deployment, input);
}

function operationName(operation: 'chat' | 'embeddings' | 'responses' | 'models'): string {
  if (operation === 'models') return 'GET /openai/models';
  if (operation === 'responses') return 'POST /openai/v1/responses';
  return `POST /openai/deployments/{deployment-id}/${operation === 'chat' ? 'chat/completions' : 'embeddings'}`;
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

/** The deterministic answer: the last user message, echoed. */
export function answerFor(messages: unknown): string {
  const list = Array.isArray(messages) ? (messages as Array<{ role?: string; content?: unknown }>) : [];
  const last = [...list].reverse().find((m) => m.role === 'user');
  const content = typeof last?.content === 'string' ? last.content : JSON.stringify(last?.content ?? '');
  return `Echo: ${content}`;
}

function chat(res: ServerResponse, deployment: string, input: Record<string, unknown>, now: number): number {
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
  const created = Math.floor(now / 1000);
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
