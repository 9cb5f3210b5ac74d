/**
 * Turns the expiry shapes found in the wild into epoch milliseconds: epoch seconds (number or
 * numeric string, as managed identity's `expires_on`), epoch milliseconds, ISO strings and HTTP
 * date strings. Returns undefined for anything else, so the caller can say which value was bad.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (value instanceof Date) return finite(value.getTime());
  if (typeof value === 'number') return finite(fromEpoch(value));
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return finite(fromEpoch(Number(text)));
  return finite(Date.parse(text));
}

// Ten digits of seconds reach the year 2286; anything larger is already milliseconds.
const LARGEST_EPOCH_SECONDS = 1e11;

function fromEpoch(value: number): number {
  return value < LARGEST_EPOCH_SECONDS ? value * 1000 : value;
}

function finite(ms: number): number | undefined {
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}
