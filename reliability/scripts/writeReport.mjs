// Writes RELIABILITY.md from the figures the reliability suite recorded (reliability/.results).
// Run by `pnpm reliability`, which first empties the folder (`--clean`), so that a removed or
// partial test cannot leave old rows behind; never typed by hand.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const dir = new URL('../.results/', import.meta.url);
if (process.argv.includes('--clean')) {
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
const figures = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, dir), 'utf8')))
  .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }) || a.check.localeCompare(b.check));

const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
const rows = figures.filter((f) => f.table === undefined);
const users = figures.filter((f) => f.table === 'users');
const lines = [
  '# Reliability and security figures',
  '',
  'Measured by the reliability suite (`reliability/test`, part of `pnpm test`) through the real',
  '`@azure/msal-node`, `@azure/identity`, `openai` and `@langchain/openai` against the `@keyless/testing`',
  'emulator on 127.0.0.1, with a fake clock where time matters. Regenerate with `pnpm reliability`.',
  '',
  `Machine: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}; generated ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| # | Check | Measured |',
  '|---|---|---|',
  ...rows.map((f) => `| ${f.id} | ${cell(f.check)} | ${cell(f.measured)} |`),
  '',
  '## What users see',
  '',
  'When no credentials can be had, through each SDK with its default retry settings (openai: 2',
  'retries; LangChain: 6; AI SDK: 2; fetch: none). "Token requests" are counted at the emulator; "SDK retried"',
  "counts the SDK's attempts through keyless. Messages are cut at 220 characters.",
  '',
  '| Failure | Adapter | What `err.message` says | Token requests | Time to outcome | SDK retried |',
  '|---|---|---|---|---|---|',
  // check = "scenario | adapter" and measured = "message | requests | time | retried": cells as they are.
  ...users.map((f) => `| ${f.check} | ${f.measured} |`),
  '',
];
writeFileSync(new URL('../../RELIABILITY.md', import.meta.url), lines.join('\n'));
console.log(`RELIABILITY.md: ${rows.length} rows, ${users.length} in "What users see"`);
