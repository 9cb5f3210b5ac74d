import { describe, expect, it } from 'vitest';
import { useEmulator } from '../src/vitest.js';

const emulator = useEmulator({ reset: false });

const post = (path: string, body: unknown) =>
  fetch(`${emulator.openaiEndpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'api-key': emulator.apiKey },
    body: JSON.stringify(body),
  });

describe('Responses API and tools', () => {
  it('answers a response with output_text, and streams the real event sequence', async () => {
    const plain = (await (await post('/openai/v1/responses', { model: 'gpt-4o-mini', input: 'hi there' })).json()) as {
      object: string;
      status: string;
      output: Array<{ type: string; content: Array<{ type: string; text: string }> }>;
    };
    expect(plain).toMatchObject({ object: 'response', status: 'completed' });
    expect(plain.output[0]?.content[0]).toMatchObject({ type: 'output_text', text: 'Echo: hi there' });

    const sse = await (await post('/openai/v1/responses', { model: 'gpt-4o-mini', input: 'a b', stream: true })).text();
    const events = [...sse.matchAll(/^event: (.+)$/gm)].map((m) => m[1]);
    expect(events).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
  });

  it('calls a declared function tool, then answers from its output', async () => {
    const tools = [
      { type: 'function', name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    ];
    const first = (await (
      await post('/openai/v1/responses', { model: 'gpt-4o-mini', input: 'Oslo', tools })
    ).json()) as {
      output: Array<{ type: string; name: string; arguments: string; call_id: string }>;
    };
    const call = first.output[0];
    expect(call).toMatchObject({ type: 'function_call', name: 'weather', arguments: '{"city":"Oslo"}' });
    const second = (await (
      await post('/openai/v1/responses', {
        model: 'gpt-4o-mini',
        tools,
        input: [
          { role: 'user', content: 'Oslo' },
          { type: 'function_call', call_id: call?.call_id, name: 'weather', arguments: call?.arguments },
          { type: 'function_call_output', call_id: call?.call_id, output: 'rain' },
        ],
      })
    ).json()) as { output: Array<{ content: Array<{ text: string }> }> };
    expect(second.output[0]?.content[0]?.text).toBe('Echo: tool result: rain');
  });

  it('answers chat completions with a tool call and with JSON of a response schema', async () => {
    const tools = [
      {
        type: 'function',
        function: {
          name: 'lookup',
          parameters: { type: 'object', properties: { q: { type: 'string' }, n: { type: 'integer' } } },
        },
      },
    ];
    const called = (await (
      await post('/openai/v1/chat/completions', {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'keyless' }],
        tools,
      })
    ).json()) as {
      choices: Array<{ finish_reason: string; message: { tool_calls: Array<{ function: { arguments: string } }> } }>;
    };
    expect(called.choices[0]?.finish_reason).toBe('tool_calls');
    expect(JSON.parse(called.choices[0]?.message.tool_calls[0]?.function.arguments ?? '{}')).toEqual({
      q: 'keyless',
      n: 7,
    });
    const structured = (await (
      await post('/openai/v1/chat/completions', {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 's', schema: { type: 'object', properties: { ok: { type: 'boolean' } } } },
        },
      })
    ).json()) as { choices: Array<{ message: { content: string } }> };
    expect(JSON.parse(structured.choices[0]?.message.content ?? '')).toEqual({ ok: true });
  });

  it('lists models on /openai/v1/models and checks auth there like everywhere', async () => {
    const listed = await fetch(`${emulator.openaiEndpoint}/openai/v1/models`, {
      headers: { 'api-key': emulator.apiKey },
    });
    expect(listed.status).toBe(200);
    const refused = await fetch(`${emulator.openaiEndpoint}/openai/v1/responses`, { method: 'POST', body: '{}' });
    expect(refused.status).toBe(401);
  });
});
