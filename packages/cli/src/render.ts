import { styleText } from 'node:util';
import type { Diagnosis } from './diagnosis.js';

/** Renders a diagnosis for a terminal: colours only when `color` (a TTY), plain text otherwise. */
export function renderDiagnosis(diagnosis: Diagnosis, color: boolean): string {
  const paint = (style: 'green' | 'red' | 'bold' | 'dim', text: string) => (color ? styleText(style, text) : text);
  const lines = diagnosis.steps.map(
    (step) =>
      `${step.ok ? paint('green', '✓') : paint('red', '✗')} ${paint('bold', step.name.padEnd(13))} ${step.detail}`,
  );
  for (const step of diagnosis.steps) {
    const ignored = step.data?.ignored as Array<{ name: string; why: string }> | undefined;
    if (ignored !== undefined && ignored.length > 0)
      lines.push(paint('dim', `  ignored: ${ignored.map((i) => `${i.name} (${i.why})`).join(', ')}`));
  }
  lines.push('');
  lines.push(diagnosis.ok ? paint('green', 'result: ok') : paint('red', `result: ${diagnosis.outcome}`));
  if (diagnosis.fix !== undefined) lines.push(`fix: ${diagnosis.fix}`);
  return `${lines.join('\n')}\n`;
}

/** A one-line spinner on stderr while waiting, only on a TTY. Returns the stop function. */
export function startSpinner(stream: NodeJS.WriteStream): { update(text: string): void; stop(): void } {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let text = '';
  let i = 0;
  const timer = setInterval(() => stream.write(`\r${frames[i++ % frames.length]} ${text}`), 80);
  return {
    update: (next) => {
      text = `checking ${next}…`;
    },
    stop: () => {
      clearInterval(timer);
      stream.write('\r\x1b[K');
    },
  };
}
