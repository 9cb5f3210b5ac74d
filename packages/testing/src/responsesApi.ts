import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { assistantTurn, type ToolSpec, type Turn, textOf } from './assistantTurn.js';
import { sendJson } from './http.js';

/**
 * The Responses API (`POST /openai/v1/responses`), as the openai SDK and the AI SDK's Azure
 * provider call it: `input` as a string or a list of messages, function calls and their outputs;
 * function `tools`; `text.format` of type json_schema; and `stream: true` with the real event
 * names (response.created … response.output_text.delta … response.completed).
 */
export function responses(
  res: ServerResponse,
  deployment: string,
  input: Record<string, unknown>,
  now: number,
): number {
  const turns = turnsOf(input.input, input.instructions);
  const tools = (Array.isArray(input.tools) ? (input.tools as Array<Record<string, unknown>>) : [])
    .filter((t) => t.type === 'function' && typeof t.name === 'string')
    .map((t): ToolSpec => ({ name: String(t.name), parameters: t.parameters }));
  const format = (input.text as { format?: { type?: string; schema?: unknown } } | undefined)?.format;
  const turn = assistantTurn(turns, tools, format?.type === 'json_schema' ? (format.schema ?? {}) : undefined);
  const id = `resp_${randomUUID().replaceAll('-', '')}`;
  const itemId = `${turn.kind === 'tool' ? 'fc' : 'msg'}_${randomUUID().replaceAll('-', '')}`;
  const text = turn.kind === 'text' ? turn.text : '';
  const item =
    turn.kind === 'tool'
      ? {
          type: 'function_call',
          id: itemId,
          call_id: turn.callId,
          name: turn.name,
          arguments: turn.arguments,
          status: 'completed',
        }
      : {
          type: 'message',
          id: itemId,
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
        };
  const words = Math.max(1, text.split(' ').length);
  const response = (status: string, output: unknown[]) => ({
    id,
    object: 'response',
    created_at: Math.floor(now / 1000),
    status,
    error: null,
    incomplete_details: null,
    model: deployment,
    output,
    parallel_tool_calls: true,
    tools: input.tools ?? [],
    usage:
      status === 'completed'
        ? {
            input_tokens: words,
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: words,
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: 2 * words,
          }
        : null,
  });
  if (input.stream !== true) {
    sendJson(res, 200, response('completed', [item]));
    return 200;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  let sequence = 0;
  const event = (type: string, data: Record<string, unknown>) =>
    res.write(`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...data })}\n\n`);
  event('response.created', { response: response('in_progress', []) });
  event('response.in_progress', { response: response('in_progress', []) });
  if (turn.kind === 'tool') {
    event('response.output_item.added', { output_index: 0, item: { ...item, arguments: '', status: 'in_progress' } });
    event('response.function_call_arguments.delta', { item_id: itemId, output_index: 0, delta: turn.arguments });
    event('response.function_call_arguments.done', { item_id: itemId, output_index: 0, arguments: turn.arguments });
  } else {
    event('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
    const part = { type: 'output_text', text: '', annotations: [], logprobs: [] };
    event('response.content_part.added', { item_id: itemId, output_index: 0, content_index: 0, part });
    for (const delta of text.split(/(?<= )/)) {
      event('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta, logprobs: [] });
    }
    event('response.output_text.done', { item_id: itemId, output_index: 0, content_index: 0, text, logprobs: [] });
    event('response.content_part.done', {
      item_id: itemId,
      output_index: 0,
      content_index: 0,
      part: { ...part, text },
    });
  }
  event('response.output_item.done', { output_index: 0, item });
  event('response.completed', { response: response('completed', [item]) });
  res.end();
  return 200;
}

/** The conversation in `input` (a string, or a list of items), after any `instructions`. */
function turnsOf(input: unknown, instructions: unknown): Turn[] {
  const turns: Turn[] = typeof instructions === 'string' ? [{ role: 'system', text: instructions }] : [];
  if (typeof input === 'string') return [...turns, { role: 'user', text: input }];
  for (const item of Array.isArray(input) ? (input as Array<Record<string, unknown>>) : []) {
    if (item.type === 'function_call_output') turns.push({ role: 'tool', text: textOf(item.output) });
    else if (item.type === 'function_call') turns.push({ role: 'assistant', text: String(item.arguments ?? '') });
    else if (typeof item.role === 'string') {
      const role = item.role === 'developer' ? 'system' : (item.role as Turn['role']);
      turns.push({ role, text: textOf(item.content) });
    }
  }
  return turns;
}
