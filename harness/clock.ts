/**
 * One clock for every process of a lab: CLOCK_MONOTONIC, in milliseconds.
 * process.hrtime reads the same kernel clock in the grader, the peers and the
 * learner runner, so timestamps from different processes compare directly.
 */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
