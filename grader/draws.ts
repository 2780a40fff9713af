/**
 * Values a scenario draws per run: the checks live in the learner's checkout,
 * so every number a learner could special-case (timeouts, deadlines, delays,
 * ports, counts, the order of scenarios) comes from here, not from a constant.
 * One seed gives every draw of a grade, so `grade <exercise> --seed N`
 * replays a surprising run exactly. Ranges are calibrated per exercise so that
 * references never fail and mutants always do; each draw is recorded by name
 * for the report and for debugging.
 */
import { randomInt } from 'node:crypto';

/** A new seed: 1 … 2^31-1, small enough to type. */
export function newSeed(): number {
  return randomInt(1, 2 ** 31 - 1);
}

export class Draws {
  private state: number;

  /**
   * @param seed the run's seed (or a fork's)
   * @param drawn every named draw of the run, shared by its forks
   * @param prefix the fork's name, before its draws' names
   */
  constructor(
    readonly seed: number,
    readonly drawn: Record<string, number | string> = {},
    private readonly prefix = '',
  ) {
    this.state = seed >>> 0 || 1;
  }

  /** A stream of its own for one scenario, so adding a draw elsewhere leaves its values alone. */
  fork(name: string): Draws {
    let h = (this.seed ^ 0x811c9dc5) >>> 0;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
    return new Draws(h || 1, this.drawn, `${this.prefix}${name}.`);
  }

  /** Uniform in [0, 1): mulberry32, plenty for picking test parameters. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [lo, hi], recorded as `key`. */
  int(key: string, lo: number, hi: number): number {
    const v = lo + Math.floor(this.next() * (hi - lo + 1));
    this.drawn[this.prefix + key] = v;
    return v;
  }

  /** One of `options`, recorded as `key`. */
  pick<T extends number | string>(key: string, options: readonly T[]): T {
    const v = options[Math.floor(this.next() * options.length)]!;
    this.drawn[this.prefix + key] = v;
    return v;
  }

  /** `count` distinct integers in [lo, hi] (e.g. ports), recorded as `key`. */
  distinct(key: string, count: number, lo: number, hi: number): number[] {
    const out = new Set<number>();
    while (out.size < count) out.add(lo + Math.floor(this.next() * (hi - lo + 1)));
    const list = [...out];
    this.drawn[this.prefix + key] = list.join(',');
    return list;
  }

  /** A shuffled copy (not recorded). */
  shuffle<T>(items: readonly T[]): T[] {
    const a = [...items];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }
}
