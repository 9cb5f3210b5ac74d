import { runApp } from '@keyless/app-shared';
import { runAiSdkChat } from './aiSdkChat.js';

// Runs against real Azure OpenAI at AZURE_OPENAI_ENDPOINT, or the embedded emulator with --emulator.
await runApp('ai-sdk-chat', async (target) => {
  const result = await runAiSdkChat({ ...target, write: (text) => process.stdout.write(text) });
  return {
    ok: result.streamed.length > 0 && result.toolCalls === 1 && result.dimensions > 0,
    calls: result.calls,
    summary: `${result.toolCalls} tool call, ${result.dimensions}-dim embedding`,
  };
});
