import { runApp } from '@keyless/app-shared';
import { runOpenAIChat } from './openaiChat.js';

// Runs against real Azure OpenAI when AZURE_OPENAI_ENDPOINT is set, else the embedded emulator.
await runApp('openai-chat', async (target) => {
  const result = await runOpenAIChat({ ...target, write: (text) => process.stdout.write(text) });
  return {
    ok: result.answer.length > 0 && result.dimensions > 0 && result.response.length > 0 && result.realtime !== '',
    calls: result.calls,
    summary: `chat, stream, ${result.dimensions}-dim embedding, Responses, ${result.realtime === undefined ? 'no Realtime (not configured)' : 'Realtime'}`,
  };
});
