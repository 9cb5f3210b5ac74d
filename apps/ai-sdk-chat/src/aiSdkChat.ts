import { createAzureProvider } from '@keyless/ai-sdk';
import type { SampleAppOptions } from '@keyless/app-shared';
import { embed, generateText, stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';

/** Settings of the app: the shared sample-app options. */
export type AiSdkChatOptions = SampleAppOptions;

/**
 * A streamed answer (printed as it arrives), a tool call round trip and an embedding through the
 * Vercel AI SDK, authenticated by keyless (Responses API on the /openai/v1 URLs).
 */
export async function runAiSdkChat(
  options: AiSdkChatOptions,
): Promise<{ streamed: string; toolAnswer: string; toolCalls: number; dimensions: number; calls: number }> {
  const azure = createAzureProvider({ auth: options.auth, endpoint: options.endpoint });

  options.write('stream: ');
  let streamed = '';
  const stream = streamText({ model: azure(options.deployment), prompt: 'Stream a greeting to keyless auth.' });
  for await (const piece of stream.textStream) {
    streamed += piece;
    options.write(piece);
  }
  options.write('\n');

  let toolCalls = 0;
  const weather = tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => {
      toolCalls += 1;
      return `sunny in ${city}`;
    },
  });
  const answer = await generateText({
    model: azure(options.deployment),
    tools: { weather },
    stopWhen: stepCountIs(3),
    prompt: 'Lisbon',
  });
  options.write(`tool: ${answer.text}\n`);

  const { embedding } = await embed({
    model: azure.textEmbeddingModel(options.embeddingsDeployment),
    value: 'keyless',
  });
  options.write(`embedding: ${embedding.length} dimensions\n`);
  return { streamed, toolAnswer: answer.text, toolCalls, dimensions: embedding.length, calls: 4 };
}
