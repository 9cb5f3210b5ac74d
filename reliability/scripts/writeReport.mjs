// Writes RELIABILITY.md from the figures the reliability suite recorded (reliability/.results).
// Run by `pnpm reliability`; never typed by hand.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

const dir = new URL('../.results/', import.meta.url);
const figures = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, dir), 'utf8')))
  .sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }) || a.check.localeCompare(b.check));

const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
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
  ...figures.map((f) => `| ${f.id} | ${cell(f.check)} | ${cell(f.measured)} |`),
  '',
];
writeFileSync(new URL('../../RELIABILITY.md', import.meta.url), lines.join('\n'));
console.log(`RELIABILITY.md: ${figures.length} rows`);
