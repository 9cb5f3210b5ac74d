import { type AppReport, printReport } from './report.js';
import { resolveTarget, type Target } from './resolveTarget.js';

/**
 * Runs a sample app's body against real Azure or the embedded emulator, prints its report line,
 * and turns a failure into a redacted message and exit code 1.
 */
export async function runApp(name: string, body: (target: Target) => Promise<Omit<AppReport, 'error'>>): Promise<void> {
  const target = await resolveTarget(process.env, { emulator: process.argv.includes('--emulator') }).catch(
    (error: unknown) => {
      console.error(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
  try {
    printReport(await body(target));
  } catch (error) {
    const message = target.auth.redact(error instanceof Error ? error.message : String(error));
    console.error(`${name} failed: ${message}`);
    printReport({ ok: false, calls: 0, summary: 'failed', error: message });
    process.exitCode = 1;
  } finally {
    await target.close();
  }
}
