/**
 * Exercise: circuit-breaker — Part 10, "Circuit breaker".
 *
 * Wrap a call to a dependency so that, once it keeps failing, we stop hitting
 * it for a while, then test it with a single call before trusting it again.
 *
 * Run `npx grade circuit-breaker` to grade this file. See README.md.
 */

export interface BreakerOptions {
  /** This many failures in a row open the breaker. */
  failureThreshold: number;
  /** How long the breaker stays open before it lets one probe through. */
  cooldownMs: number;
}

export interface Breaker<T> {
  call(): Promise<T>;
}

/**
 * Returns a breaker around `fn`.
 * - Closed: call() invokes fn and passes its result or error through unchanged;
 *   failureThreshold consecutive failures open it, a success resets the count.
 * - Open: call() rejects at once, without invoking fn, with an error that says
 *   the circuit is open (code 'EOPENBREAKER').
 * - cooldownMs after opening, one call goes to fn as a probe; the others do not
 *   reach fn while it is in flight. Success closes the breaker; failure opens it again.
 */
export function createBreaker<T>(fn: () => Promise<T>, opts: BreakerOptions): Breaker<T> {
  // TODO: keep a state (closed, open, half-open), a count of consecutive failures and the time it opened.
  throw new Error('not implemented yet');
}
