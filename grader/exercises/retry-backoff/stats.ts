/**
 * Pure statistics over what the retry-backoff runner recorded: the waits
 * between attempts, per attempt number, pooled over many clients. No lab
 * here, so test/retry-backoff.test.ts can feed it simulated clients.
 */
import type { ErrorShape } from '../../evidence.ts';

export interface RetryOpts {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** One call of the learner's `fn`, as the runner saw it. */
export interface CallRecord {
  /** Monotonic ms when fn was called. */
  t: number;
  /** When fn's promise settled (absent: it never did). */
  end?: number;
  ok?: boolean;
}

/** What one retryWithBackoff call did. */
export interface ClientRecord {
  case: string;
  client: number;
  calls: CallRecord[];
  result: {
    /** threw: retryWithBackoff itself threw synchronously; pending: not settled when the runner stopped. */
    kind: 'resolved' | 'rejected' | 'threw' | 'pending';
    t: number;
    /** Which call (1-based) produced the very value or error object it settled with; null: none did. */
    fromCall: number | null;
    error?: ErrorShape;
  };
  /** Every shouldRetry(err, attempt) call: the attempt argument and which call's error it was given. */
  asked: Array<{ attempt: unknown; fromCall: number | null }>;
}

export function mean(xs: number[]): number {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN;
}

/** Linear-interpolated quantile, p in [0, 1]. NaN for no samples. */
export function quantile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * p;
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return s[lo]! + (s[hi]! - s[lo]!) * (i - lo);
}

export const median = (xs: number[]): number => quantile(xs, 0.5);
export const iqr = (xs: number[]): number => quantile(xs, 0.75) - quantile(xs, 0.25);

/**
 * The wait after each failed attempt: gaps[k-1] is the time from attempt k
 * failing to attempt k+1 being made ("step k").
 */
export function gapsOf(c: ClientRecord): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < c.calls.length; i++) {
    const prev = c.calls[i - 1]!;
    gaps.push(c.calls[i]!.t - (prev.end ?? prev.t));
  }
  return gaps;
}

/** Every client's wait at step k (1-based), for the clients that got that far. */
export function step(clients: ClientRecord[], k: number): number[] {
  return clients.map((c) => gapsOf(c)[k - 1]).filter((g): g is number => g !== undefined);
}

/** The delay the contract names for step k before any jitter: base·2^(k-1), capped. */
export function nominal(opts: RetryOpts, k: number): number {
  return Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (k - 1));
}

/** The same without the cap, as an implementation that forgot it would wait. */
export function uncapped(opts: RetryOpts, k: number): number {
  return opts.baseDelayMs * 2 ** (k - 1);
}

/** Rounded ms list for messages: "12, 25, 49 ms". */
export function msList(xs: number[]): string {
  return xs.map((x) => (Number.isFinite(x) ? String(Math.round(x)) : '–')).join(', ') + ' ms';
}

/** Median wait per step, steps 1..n, for messages. */
export function mediansByStep(clients: ClientRecord[], n: number): number[] {
  return Array.from({ length: n }, (_, i) => median(step(clients, i + 1)));
}

/** Time from the last call failing to the promise settling, per client that made calls and settled. */
export function settleLags(clients: ClientRecord[]): number[] {
  const out: number[] = [];
  for (const c of clients) {
    const last = c.calls[c.calls.length - 1];
    if (!last || c.result.kind === 'pending' || c.result.kind === 'threw') continue;
    out.push(c.result.t - (last.end ?? last.t));
  }
  return out;
}

// ── Thresholds, calibrated by test/retry-backoff.test.ts and by grading the reference and variants under load ──

/** Growth: by the last wait, at least 10% of clients wait this fraction of base·2^(k−1) or more… */
export const growthEnvelope = 0.5;
/**
 * …and those late waits are several times the first ones (doubling gives
 * 32×). Only a delay that never grows comes near 1×. A process stalled at
 * its start inflates its first waits, so the least inflated trial counts.
 */
export const growthRatio = 2;
/** Cap: where the uncapped delay is 4× and 8× the cap, the median wait stays under this many caps (jitter on top allowed). */
export const capSlack = 1.75;
/** Jitter: the middle half of the clients' waits spans at least this fraction of the nominal delay. */
export const minSpread = 0.04;
/** A promise settled this long after the last failure waited for nothing. */
export const finalLagMs = 25;
/**
 * When shouldRetry says no, the rejection must come well before the delay a
 * retry would have slept (400 ms nominal in that case): this bound leaves room
 * for a throttled CPU (71 ms seen under Docker), not for a sleep.
 */
export const stopLagMs = 100;
/**
 * Real connections: the waits between a refusal and the next SYN add up to
 * at least this fraction of the nominal waits (100+200+400+800 ms). A client
 * that does not wait shows at most the trace's lag, wireLagMs per attempt.
 */
export const wireFloor = 0.15;

// ── Measures: one per backoff check, so tests and calibration read what the checks read ──

export interface Growth {
  /** Clients that reached the last wait, of all. */
  reached: number;
  clients: number;
  /** 90th percentile of the first wait (in the trial where it is lowest) and of the last wait (all trials). */
  first: number;
  late: number;
  /** What `late` must reach: growthEnvelope × the nominal last delay. */
  envelope: number;
  medians: number[];
  /** Median of every wait of every client. */
  typical: number;
}

/** How the waits grow over steps 1..maxAttempts−1; one list of clients per trial, all failing every call. */
export function measureGrowth(trials: ClientRecord[][], opts: RetryOpts): Growth {
  const clients = trials.flat();
  const last = opts.maxAttempts - 1;
  const sLast = step(clients, last);
  const firsts = trials.map((tr) => step(tr, 1)).filter((s) => s.length > 0);
  return {
    reached: sLast.length,
    clients: clients.length,
    first: firsts.length ? Math.min(...firsts.map((s) => quantile(s, 0.9))) : NaN,
    late: quantile(sLast, 0.9),
    envelope: growthEnvelope * nominal(opts, last),
    medians: mediansByStep(clients, last),
    typical: median(clients.flatMap(gapsOf)),
  };
}

export function growthOk(g: Growth): boolean {
  return g.clients > 0 && g.reached >= g.clients / 2 && g.late >= g.envelope && g.late >= growthRatio * g.first;
}

export interface Cap {
  /** The steps judged: the last two, where the uncapped delay is far above the cap. */
  steps: number[];
  medians: number[];
  limit: number;
  enough: boolean;
}

export function measureCap(clients: ClientRecord[], opts: RetryOpts): Cap {
  const steps = [opts.maxAttempts - 2, opts.maxAttempts - 1];
  const samples = steps.map((k) => step(clients, k));
  return {
    steps,
    medians: samples.map(median),
    limit: capSlack * opts.maxDelayMs,
    enough: clients.length > 0 && samples.every((s) => s.length >= clients.length / 2),
  };
}

export const capOk = (c: Cap): boolean => c.enough && c.medians.every((m) => m <= c.limit);

/** Jitter needs waits to randomise: the median wait is at least this fraction of the nominal delay. */
export const minLevel = 0.1;

export interface Spread {
  /** Mean over trials and steps of IQR / nominal delay; NaN when no step had enough clients. */
  spread: number;
  /** Mean over trials and steps of median wait / nominal delay (about 0 when nothing waits). */
  level: number;
  /** A step of one trial, for messages. */
  example?: { k: number; waits: number[] };
}

/**
 * How far apart the waits of clients in the same process are, per step.
 * Measured within each trial, so one random factor per process (clients
 * still in lockstep with each other) does not count as jitter.
 */
export function measureSpread(trials: ClientRecord[][], opts: RetryOpts, steps = [4, 5]): Spread {
  const spreads: number[] = [];
  const levels: number[] = [];
  let example: Spread['example'];
  for (const clients of trials) {
    for (const k of steps) {
      const waits = step(clients, k);
      if (waits.length < clients.length / 2 || waits.length < 4) continue;
      spreads.push(iqr(waits) / nominal(opts, k));
      levels.push(median(waits) / nominal(opts, k));
      example ??= { k, waits };
    }
  }
  return { spread: mean(spreads), level: mean(levels), example };
}

export const spreadOk = (s: Spread): boolean => s.example !== undefined && s.spread >= minSpread && s.level >= minLevel;

/** A SYN read this much later than the runner made the call: the router's trace is lagging, its times are not the packets'. */
export const wireLagMs = 30;

export interface WireSpacing {
  /** Clients that made at least two attempts. */
  clients: number;
  /** Of those, whose attempt times came from the wire (the rest: the router's trace lagged, the runner's clock was used). */
  fromWire: number;
  /** Mean over clients of the waits summed: from each refusal reaching fn to the next SYN. */
  waited: number;
  /** Median gap between consecutive SYNs on the wire, per retry. */
  gaps: number[];
  /** The nominal waits before the last refused attempt is retried, summed. */
  expected: number;
  floor: number;
}

/**
 * The waits of real connection attempts. An attempt's time is its SYN on the
 * router when the trace kept up (each SYN read within wireLagMs of the call
 * that sent it), else the runner's clock at the call.
 */
export function measureWire(runs: Array<{ clients: ClientRecord[]; syns: number[][] }>, opts: RetryOpts, refusals: number): WireSpacing {
  const expected = Array.from({ length: refusals }, (_, i) => nominal(opts, i + 1)).reduce((a, b) => a + b, 0);
  const totals: number[] = [];
  const wireSeries: number[][] = [];
  let fromWire = 0;
  for (const run of runs) {
    for (const c of run.clients) {
      if (c.calls.length < 2) continue;
      const syns = run.syns[c.client] ?? [];
      const timely =
        syns.length === c.calls.length && syns.every((t, i) => t - c.calls[i]!.t >= -5 && t - c.calls[i]!.t <= wireLagMs);
      const at = timely ? syns : c.calls.map((x) => x.t);
      if (timely) fromWire++;
      if (syns.length >= 2) wireSeries.push(syns);
      let total = 0;
      for (let k = 1; k < c.calls.length; k++) total += at[k]! - (c.calls[k - 1]!.end ?? c.calls[k - 1]!.t);
      totals.push(total);
    }
  }
  return {
    clients: totals.length,
    fromWire,
    waited: mean(totals),
    gaps: Array.from({ length: refusals }, (_, i) => median(wireSeries.filter((s) => s.length > i + 1).map((s) => s[i + 1]! - s[i]!))),
    expected,
    floor: wireFloor * expected,
  };
}

export const wireOk = (w: WireSpacing): boolean => w.clients > 0 && w.waited >= w.floor;
