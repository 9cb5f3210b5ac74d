import { runApp } from '@keyless/app-shared';
import { runLangchainPipeline } from './langchainPipeline.js';

// Runs against real Azure OpenAI when AZURE_OPENAI_ENDPOINT is set, else the embedded emulator.
await runApp('langchain-pipeline', async (target) => {
  const result = await runLangchainPipeline({ ...target, write: (text) => process.stdout.write(text) });
  return {
    ok: result.answers.every((a) => a.length > 0) && result.best.length > 0,
    calls: result.calls,
    summary: `${result.answers.length} answers`,
  };
});
