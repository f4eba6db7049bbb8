import type { ServerResponse } from 'node:http';
import { sendJson } from './http-utils';
import type { Fault, RandomFaultKind, RandomFaultOptions } from './types';

function validateFault(fault: Fault): Fault {
  if (fault.type === 'status' && (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599)) {
    throw new RangeError(`invalid fault status: ${String(fault.status)}`);
  }
  if (fault.type === 'status' && fault.body !== undefined) JSON.stringify(fault.body); // throws now, not mid-request
  if (fault.type === 'status' && fault.delayMs !== undefined && !(fault.delayMs >= 0)) {
    throw new RangeError(`invalid fault delayMs: ${String(fault.delayMs)}`);
  }
  if (fault.type === 'delay' && !(fault.ms >= 0)) {
    throw new RangeError(`invalid fault delay: ${String(fault.ms)}`);
  }
  return { ...fault };
}

function faultOfKind(kind: RandomFaultKind, delayMs: number): Fault {
  switch (kind) {
    case 'reset':
    case 'hang':
      return { type: kind };
    case 'delay':
      return { type: 'delay', ms: delayMs };
    default:
      return { type: 'status', status: Number(kind) };
  }
}

/** Chooses the fault (if any) for each token call: queued faults first, then random ones. */
export class FaultSource {
  private queue: Fault[] = [];
  private random: RandomFaultOptions | null = null;

  /** Appends faults to the queue (validated and copied). */
  inject(faults: readonly Fault[]): void {
    this.queue.push(...faults.map(validateFault));
  }

  /** Number of queued faults. */
  pending(): number {
    return this.queue.length;
  }

  /** Drops the queue (random faults are kept). */
  clear(): void {
    this.queue = [];
  }

  /** Enables or disables random faults. */
  setRandom(options: RandomFaultOptions | null): void {
    if (options !== null) {
      if (!(options.probability >= 0 && options.probability <= 1)) {
        throw new RangeError(`invalid fault probability: ${String(options.probability)}`);
      }
      if (options.kinds.length === 0) throw new RangeError('random faults need at least one kind');
      this.random = { ...options, kinds: [...options.kinds] };
    } else {
      this.random = null;
    }
  }

  /** Takes the fault for the next token call, or undefined for a normal answer. */
  next(): Fault | undefined {
    const queued = this.queue.shift();
    if (queued !== undefined || this.random === null) return queued;
    const { probability, kinds, random = Math.random, delayMs = 50 } = this.random;
    if (random() >= probability) return undefined;
    const index = Math.min(kinds.length - 1, Math.floor(random() * kinds.length));
    return faultOfKind(kinds[index], delayMs);
  }
}

/**
 * Applies a fault that replaces the answer (`status`, `reset`); `hang` does
 * nothing (the socket is destroyed when the server closes). `delay` is handled by the caller.
 */
export function answerWithFault(res: ServerResponse, fault: Exclude<Fault, { type: 'delay' }>): void {
  if (fault.type === 'reset') {
    res.socket?.resetAndDestroy();
  } else if (fault.type === 'status') {
    const headers = fault.retryAfter !== undefined ? { 'Retry-After': fault.retryAfter } : {};
    const body = fault.body ?? { Message: `Injected fault: HTTP ${fault.status}`, Type: 'injected_fault' };
    sendJson(res, fault.status, body, headers);
  }
}
