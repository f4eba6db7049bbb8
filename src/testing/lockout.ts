/**
 * Tracks consecutive bad credential attempts and the resulting temporary
 * lockout, by real wall-clock time (`Date.now()`).
 */
export class Lockout {
  private failures = 0;
  private lockedUntil = 0;

  /**
   * @param after - consecutive bad attempts that lock the account
   * @param seconds - how long a lockout lasts
   */
  constructor(
    private readonly after: number,
    private readonly seconds: number,
  ) {}

  /** Whether the account is locked now; an expired lockout is cleared on the way. */
  isLocked(): boolean {
    if (this.lockedUntil === 0) return false;
    if (Date.now() < this.lockedUntil) return true;
    this.reset();
    return false;
  }

  /** Records a bad attempt; returns true when this attempt locks the account. */
  recordFailure(): boolean {
    this.failures += 1;
    if (this.failures < this.after) return false;
    this.failures = 0;
    this.lockedUntil = Date.now() + this.seconds * 1000;
    return true;
  }

  /** Records a successful authentication: the bad attempt streak ends. */
  recordSuccess(): void {
    this.failures = 0;
  }

  /** Ends any lockout and forgets past bad attempts. */
  reset(): void {
    this.failures = 0;
    this.lockedUntil = 0;
  }
}
