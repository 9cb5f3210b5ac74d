import type { SampleAppOptions } from '@keyless/app-shared';
import { createAzureOpenAI, createOpenAIForAzureV1 } from '@keyless/openai';
import { OpenAIRealtimeWS } from 'openai/realtime/ws';

/** Settings of the app: the shared sample-app options. */
export type OpenAIChatOptions = SampleAppOptions;

/**
 * A chat completion, a streamed completion (printed as it arrives), an embedding, a Responses API
 * call on `/openai/v1`, and (when a Realtime deployment is configured) a Realtime WebSocket turn.
 */
export async function runOpenAIChat(options: OpenAIChatOptions): Promise<{
  answer: string;
  streamed: string;
  dimensions: number;
  response: string;
  realtime: string | undefined;
  calls: number;
}> {
  const client = createAzureOpenAI({ auth: options.auth, endpoint: options.endpoint, apiVersion: options.apiVersion });
  const completion = await client.chat.completions.create({
    model: options.deployment,
    messages: [{ role: 'user', content: 'Say hello to keyless auth.' }],
  });
  const answer = completion.choices[0]?.message.content ?? '';
  options.write(`chat: ${answer}\n`);

  options.write('stream: ');
  let streamed = '';
  const stream = await client.chat.completions.create({
    model: options.deployment,
    messages: [{ role: 'user', content: 'Stream these words one by one.' }],
    stream: true,
  });
  for await (const chunk of stream) {
    const piece = chunk.choices[0]?.delta?.content ?? '';
    streamed += piece;
    options.write(piece);
  }
  options.write('\n');

  const embedding = await client.embeddings.create({ model: options.embeddingsDeployment, input: 'keyless' });
  const dimensions = embedding.data[0]?.embedding.length ?? 0;
  options.write(`embedding: ${dimensions} dimensions\n`);

  const v1 = createOpenAIForAzureV1({ auth: options.auth, endpoint: options.endpoint });
  const response = (
    await v1.responses.create({ model: options.deployment, input: 'Answer through the Responses API.' })
  ).output_text;
  options.write(`responses: ${response}\n`);

  const realtime = options.realtime === undefined ? undefined : await realtimeTurn(options, options.realtime);
  options.write(
    realtime === undefined ? 'realtime: skipped (no AZURE_OPENAI_REALTIME_DEPLOYMENT)\n' : `realtime: ${realtime}\n`,
  );
  return { answer, streamed, dimensions, response, realtime, calls: realtime === undefined ? 4 : 5 };
}

/** One text turn over the Realtime WebSocket, opened by the SDK itself with keyless's credential. */
async function realtimeTurn(
  options: OpenAIChatOptions,
  realtime: NonNullable<OpenAIChatOptions['realtime']>,
): Promise<string> {
  const client = createAzureOpenAI({
    auth: options.auth,
    endpoint: options.endpoint,
    apiVersion: options.apiVersion,
    deployment: realtime.deployment,
  });
  const rt = await OpenAIRealtimeWS.azure(client, realtime.ca === undefined ? {} : { options: { ca: realtime.ca } });
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error('realtime: no answer within 15 s')), 15_000);
      rt.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      rt.on('response.output_text.delta', (event) => {
        text += event.delta;
      });
      rt.on('response.done', () => {
        clearTimeout(timer);
        resolve(text);
      });
      rt.socket.once('open', () => {
        rt.send({ type: 'session.update', session: { type: 'realtime', output_modalities: ['text'] } });
        rt.send({
          type: 'conversation.item.create',
          item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Say hello in real time.' }] },
        });
        rt.send({ type: 'response.create' });
      });
    });
  } finally {
    rt.close();
  }
}
