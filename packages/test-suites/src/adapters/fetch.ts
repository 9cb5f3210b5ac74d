import { createAuthorizedFetch } from '@keyless/fetch';
import type { MakeAdapter } from '../describeAdapterConformance.js';

/** Plain HTTP through keyless's authenticated fetch, as a service without an SDK calls Azure OpenAI. */
export const fetchAdapter: MakeAdapter = (auth, emulator, options = {}) => {
  const endpoint = options.endpoint ?? emulator.openaiEndpoint;
  // The endpoint as the origin: credentials go to its origin, its path (a Foundry project's) picks the scope.
  const azureFetch = createAuthorizedFetch(auth, { origin: endpoint, fetch: options.fetch });
  const post = async (deployment: string, operation: string, body: unknown) => {
    const response = await azureFetch(
      `${endpoint}/openai/deployments/${deployment}/${operation}?api-version=${emulator.apiVersion}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
    );
    if (!response.ok) {
      // What a fetch user prints: the status and the JSON body's error message. The answer is
      // the cause, as a caller keeps it: keylessErrorOf(error) finds keyless's error through it.
      const text = await response.text();
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
      } catch {
        // not JSON: the text as it is
      }
      throw Object.assign(new Error(`${response.status} ${message}`, { cause: response }), {
        status: response.status,
        headers: response.headers,
      });
    }
    return response;
  };
  const messages = (content: string) => [{ role: 'user', content }];
  return {
    async chat(content) {
      const body = (await (
        await post(emulator.deployments.chat, 'chat/completions', { messages: messages(content) })
      ).json()) as {
        choices: Array<{ message: { content: string } }>;
      };
      return body.choices[0]?.message.content ?? '';
    },
    async stream(content) {
      const sse = await (
        await post(emulator.deployments.chat, 'chat/completions', { messages: messages(content), stream: true })
      ).text();
      return sse
        .split('\n')
        .filter((line) => line.startsWith('data: {'))
        .map(
          (line) =>
            (JSON.parse(line.slice(6)) as { choices: Array<{ delta?: { content?: string } }> }).choices[0]?.delta
              ?.content ?? '',
        )
        .join('');
    },
    async embed(texts) {
      const body = (await (await post(emulator.deployments.embeddings, 'embeddings', { input: texts })).json()) as {
        data: Array<{ embedding: number[] }>;
      };
      return body.data.map((d) => d.embedding);
    },
  };
};
