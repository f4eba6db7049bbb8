/**
 * The deadline of one request to the authorization server (`src/http/deadline.ts`), as a unit under
 * fake timers: it aborts exactly `ms` after the start with a `DeadlineExceeded` shaped like axios's
 * own time-out, a parent's abort ends it with the parent's reason, and `clear()` stops both the
 * timer and the link to the parent.
 */
import { DeadlineExceeded, deadlinePassed, startDeadline } from '../../src/http/deadline';

describe('startDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('aborts exactly ms after the start with a DeadlineExceeded shaped like an axios time-out', () => {
    const deadline = startDeadline(50);
    jest.advanceTimersByTime(49);
    expect(deadline.signal.aborted).toBe(false);
    expect(deadline.expired).toBe(false);
    jest.advanceTimersByTime(1);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.expired).toBe(true);
    const reason = deadline.signal.reason as DeadlineExceeded;
    expect(reason).toBeInstanceOf(DeadlineExceeded);
    expect(reason.ms).toBe(50);
    expect(reason.name).toBe('Error');
    expect(reason.code).toBe('ECONNABORTED');
    expect(reason.message).toBe('timeout of 50ms exceeded (token request deadline, response body included)');
    deadline.clear();
  });

  it('never aborts once cleared', () => {
    const deadline = startDeadline(50);
    deadline.clear();
    jest.advanceTimersByTime(1_000);
    expect(deadline.signal.aborted).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('ends with its parent, with the parent reason: a cancellation is not a time-out', () => {
    const parent = new AbortController();
    const deadline = startDeadline(50, parent.signal);
    const reason = new Error('detached');
    parent.abort(reason);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(reason);
    expect(deadline.expired).toBe(false);
    deadline.clear();
  });

  it('starts aborted under a parent already aborted, with its reason', () => {
    const parent = new AbortController();
    const reason = new Error('detached before');
    parent.abort(reason);
    const deadline = startDeadline(50, parent.signal);
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(reason);
    deadline.clear();
  });

  it('nested under an outer deadline, expires with it (the inner one reports a time-out)', () => {
    const outer = startDeadline(30);
    const inner = startDeadline(100, outer.signal);
    jest.advanceTimersByTime(30);
    expect(inner.expired).toBe(true);
    expect((inner.signal.reason as DeadlineExceeded).ms).toBe(30);
    inner.clear();
    outer.clear();
  });

  it('clear() unlinks it from its parent: a later parent abort leaves it alone', () => {
    const parent = new AbortController();
    const deadline = startDeadline(50, parent.signal);
    deadline.clear();
    parent.abort(new Error('later'));
    expect(deadline.signal.aborted).toBe(false);
  });
});

describe('deadlinePassed', () => {
  it('is true only for a signal aborted with a DeadlineExceeded', () => {
    expect(deadlinePassed(undefined)).toBe(false);
    expect(deadlinePassed(new AbortController().signal)).toBe(false);
    const cancelled = new AbortController();
    cancelled.abort(new Error('cancelled'));
    expect(deadlinePassed(cancelled.signal)).toBe(false);
    const timedOut = new AbortController();
    timedOut.abort(new DeadlineExceeded(5));
    expect(deadlinePassed(timedOut.signal)).toBe(true);
  });

  it('asks whether the signal aborted, not only what its reason is', () => {
    // A signal-like object with a deadline reason but not aborted (what an abort that was undone would look like).
    const notAborted = { aborted: false, reason: new DeadlineExceeded(5) } as unknown as AbortSignal;
    expect(deadlinePassed(notAborted)).toBe(false);
  });
});
