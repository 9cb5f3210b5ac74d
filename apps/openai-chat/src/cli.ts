import { printReport, resolveTarget } from '@keyless/app-shared';
import { runOpenAIChat } from './openaiChat.js';

// Runs against real Azure OpenAI when AZURE_OPENAI_ENDPOINT is set, else the embedded emulator.
const target = await resolveTarget();
try {
  const result = await runOpenAIChat({ ...target, write: (text) => process.stdout.write(text) });
  printReport({
    ok: result.answer.length > 0 && result.dimensions > 0,
    calls: result.calls,
    summary: `${result.dimensions}-dim embedding`,
  });
} catch (error) {
  const message = target.auth.redact(error instanceof Error ? error.message : String(error));
  console.error(`openai-chat failed: ${message}`);
  printReport({ ok: false, calls: 0, summary: 'failed', error: message });
  process.exitCode = 1;
} finally {
  await target.close();
}
