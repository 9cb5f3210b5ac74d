import { printReport, resolveTarget } from '@keyless/app-shared';
import { runLangchainPipeline } from './langchainPipeline.js';

// Runs against real Azure OpenAI when AZURE_OPENAI_ENDPOINT is set, else the embedded emulator.
const target = await resolveTarget();
try {
  const result = await runLangchainPipeline({ ...target, write: (text) => process.stdout.write(text) });
  printReport({
    ok: result.answers.every((a) => a.length > 0) && result.best.length > 0,
    calls: result.calls,
    summary: `${result.answers.length} answers`,
  });
} catch (error) {
  const message = target.auth.redact(error instanceof Error ? error.message : String(error));
  console.error(`langchain-pipeline failed: ${message}`);
  printReport({ ok: false, calls: 0, summary: 'failed', error: message });
  process.exitCode = 1;
} finally {
  await target.close();
}
