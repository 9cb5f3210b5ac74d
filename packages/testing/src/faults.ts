/** The endpoints faults can be scripted on. */
export type FaultTarget = 'token' | 'appService' | 'imds' | 'dataPlane';

/** One scripted fault. Bounded: it fires `times` times (default 1), then is gone. */
export interface Fault {
  /** HTTP status to answer with (400, 404, 410, 429, 500, 503…). Omit with `reset` or a pure delay. */
  status?: number;
  /** Body to send (JSON-encoded unless a string). A realistic one is chosen when omitted. */
  body?: unknown;
  /** `Retry-After` header: seconds (number) or any string (e.g. an HTTP date). */
  retryAfter?: number | string;
  /** `retry-after-ms` header. */
  retryAfterMs?: number;
  /** `Location` header, for scripted redirects (301/302/303/307/308). */
  location?: string;
  /** `WWW-Authenticate` header (e.g. a CAE insufficient_claims challenge). */
  wwwAuthenticate?: string;
  /** Wait this long before answering (or before passing on, when no status/reset is given). */
  delayMs?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /**
   * Accept the request and never answer (a black-holed proxy, a stuck IMDS): the connection stays
   * open until the client gives up or the emulator closes.
   */
  hang?: boolean;
  /** How many requests it applies to. Default 1. */
  times?: number;
  /** Apply to every Nth request only (1 = every request) while `times` lasts. */
  every?: number;
}

interface Armed extends Fault {
  remaining: number;
  seen: number;
}

/** Per-endpoint queues of scripted faults. Deterministic: no randomness. */
export class FaultScript {
  readonly #queues = new Map<FaultTarget, Armed[]>();

  /** Queues a fault for an endpoint. */
  add(target: FaultTarget, fault: Fault): void {
    const queue = this.#queues.get(target) ?? [];
    queue.push({ ...fault, remaining: fault.times ?? 1, seen: 0 });
    this.#queues.set(target, queue);
  }

  /** Removes every queued fault (of one endpoint, or all). */
  clear(target?: FaultTarget): void {
    if (target === undefined) this.#queues.clear();
    else this.#queues.delete(target);
  }

  /** How many queued applications are left for an endpoint. */
  pending(target: FaultTarget): number {
    return (this.#queues.get(target) ?? []).reduce((sum, fault) => sum + fault.remaining, 0);
  }

  /** The fault for this request, if any; consumes one application. */
  next(target: FaultTarget): Fault | undefined {
    const queue = this.#queues.get(target);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return undefined;
    head.seen += 1;
    if (head.every !== undefined && head.seen % head.every !== 0) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head;
  }
}
