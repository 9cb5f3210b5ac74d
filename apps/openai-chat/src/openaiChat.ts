import type { SampleAppOptions } from '@keyless/app-shared';
import { createAzureOpenAI } from '@keyless/openai';

/** Settings of the app: the shared sample-app options. */
export type OpenAIChatOptions = SampleAppOptions;

/** A chat completion, a streamed completion (printed as it arrives) and an embedding. */
export async function runOpenAIChat(
  options: OpenAIChatOptions,
): Promise<{ answer: string; streamed: string; dimensions: number; calls: number }> {
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
  return { answer, streamed, dimensions, calls: 3 };
}
