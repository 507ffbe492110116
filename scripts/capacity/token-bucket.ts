// A token bucket (rate per second, burst = bucket size), as API Gateway throttles and Lambda refills its
// scaling allowance. Time is in ms and must not go backwards.
export class TokenBucket {
  private tokens: number;
  private last = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
  }

  private refill(atMs: number): void {
    if (atMs > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((atMs - this.last) / 1000) * this.ratePerSecond);
      this.last = atMs;
    }
  }

  /** Takes `n` tokens at `atMs` if there are that many. */
  take(atMs: number, n = 1): boolean {
    this.refill(atMs);
    if (this.tokens + 1e-9 < n) return false;
    this.tokens -= n;
    return true;
  }
}
