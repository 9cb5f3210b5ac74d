/** A markdown table from a header and rows. */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map(String).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

/** Formats nanoseconds as µs with 3 significant digits. */
export function micros(ns: number): string {
  return `${(ns / 1000).toPrecision(3)} µs`;
}

/** A ratio like `1,234×`. */
export function times(ratio: number): string {
  return `${ratio >= 100 ? Math.round(ratio).toLocaleString('en') : ratio.toPrecision(3)}×`;
}
