/**
 * The emulator's "model": deterministic, derived from the conversation, so tests can assert on
 * content. Shared by chat completions and the Responses API:
 * - with tools declared and a user message last: a call to the first tool, its arguments an
 *   instance of the tool's parameter schema (strings carry the user's text);
 * - with a tool result last: `Echo: tool result: <result>`;
 * - with a JSON schema as the response format: an instance of that schema, as JSON;
 * - otherwise `Echo: <last user message>`.
 */

/** One turn of a conversation, whichever API it came from. */
export interface Turn {
  role: 'system' | 'user' | 'assistant' | 'tool';
  text: string;
}

/** A function tool the request declared. */
export interface ToolSpec {
  name: string;
  parameters: unknown;
}

/** What the assistant answers. */
export type AssistantTurn =
  | { kind: 'text'; text: string }
  | { kind: 'tool'; name: string; arguments: string; callId: string };

export function assistantTurn(turns: Turn[], tools: ToolSpec[], format: unknown): AssistantTurn {
  const last = turns.at(-1);
  const userText = [...turns].reverse().find((t) => t.role === 'user')?.text ?? '';
  const tool = tools[0];
  if (tool !== undefined && last?.role === 'user') {
    const args = JSON.stringify(instanceOf(tool.parameters, userText));
    return { kind: 'tool', name: tool.name, arguments: args, callId: `call_${hash(`${tool.name}${args}`)}` };
  }
  const echoed = last?.role === 'tool' ? `tool result: ${last.text}` : userText;
  if (format !== undefined) return { kind: 'text', text: JSON.stringify(instanceOf(format, `Echo: ${echoed}`)) };
  return { kind: 'text', text: `Echo: ${echoed}` };
}

/** A value that satisfies a JSON schema (the subset tool and output schemas use). */
export function instanceOf(schema: unknown, text: string): unknown {
  const s = (typeof schema === 'object' && schema !== null ? schema : {}) as Record<string, unknown>;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum) && s.enum.length > 0) return s.enum[0];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = s[key];
    if (Array.isArray(options) && options.length > 0) {
      const usable = options.find((o) => (o as { type?: unknown })?.type !== 'null') ?? options[0];
      return instanceOf(usable, text);
    }
  }
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const properties = (s.properties ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, instanceOf(value, text)]));
    }
    case 'array':
      return [instanceOf(s.items, text)];
    case 'number':
    case 'integer':
      return text.length;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return text;
  }
}

function hash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** The text of a message content: a string, or the text parts of an array of parts. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === 'string' ? part : String((part as { text?: unknown })?.text ?? '')))
      .join('');
  }
  return content === undefined || content === null ? '' : JSON.stringify(content);
}
