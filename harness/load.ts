/**
 * How loaded the machine was while a scenario ran. A timing verdict reached
 * on a machine too busy to keep time is not evidence against the learner: the
 * grader runs such a scenario again, and if the machine stays that busy the
 * check is an error (no points, "grade again"), never a fail.
 *
 * Two readings, both from outside the learner's reach:
 * - the grader's own timer lateness: a 50 ms interval timer, and how late it
 *   fired (the grader is a mostly idle process, so the scheduler favours it;
 *   when even it runs hundreds of ms late, nothing on the machine keeps time);
 * - the kernel's CPU pressure (PSI, /proc/pressure/cpu, "some" line): the share
 *   of wall time in which some runnable task waited for a CPU. Absent on
 *   kernels without PSI; then the lateness alone decides.
 * A learner whose own code keeps the machine busy (a spinner, a flood) is not
 * excused: the lab accounts its CPU time (its cgroup, its container), and a
 * learner that used more than a third of a CPU keeps its fails. And a busy machine
 * only ever turns a fail into a retry or an error: a pass is never made of it.
 */
import { readFileSync } from 'node:fs';
import { nowMs } from './clock.ts';
import type { Localized } from '../grader/i18n.ts';
import { words } from './words.ts';

export interface LoadReading {
  /** The grader's worst timer lateness in the window, ms. */
  lagMs: number;
  /** Share of the window in which some task waited for a CPU (0–1), or null without PSI. */
  pressure: number | null;
  /**
   * CPUs the learner's own programs used together, on average, in all the labs
   * of the round the scenario ran in, beyond node's start-up; null where the
   * driver cannot account them. Filled in by the grader from the labs' cgroups
   * and containers, not by the watch.
   */
  learnerCpus?: number | null;
}

export interface LoadMark {
  t: number;
  psiUs: number | null;
}

/**
 * What makes a window too busy to judge timing by (measured on 2 cores, CPU
 * pressure per scenario: one grade alone 4–63% under netns, 40–86% under
 * Docker; beside a spinning core, 20 netns runs of every reference, up to 85%
 * (p90 72%), all full; four Docker graders at once without lab slots,
 * 67–92%). Timer lateness: up to 160 ms under netns beside a spinning core,
 * up to 302 ms under Docker (start-up of a grade), references full. Only the
 * worst of overload is excused: references pass below it.
 * And how much CPU
 * the learner's own code may have used for the busy machine to excuse it
 * (CPUs of all the labs of a round together, beyond node's start-up:
 * references 0.00 in every exercise; a spinning learner 1.48).
 */
export const overloadLimits = { lagMs: 1000, pressure: 0.9, learnerCpus: 0.35 };

/** Was the machine too busy to keep time? */
export function overloaded(r: LoadReading, limits = overloadLimits): boolean {
  return r.lagMs >= limits.lagMs || (r.pressure !== null && r.pressure >= limits.pressure);
}

/**
 * Does the load excuse a failed check? Only when the machine was too busy and
 * the learner's code was not what kept it busy (and that is known).
 */
export function excusedByLoad(r: LoadReading, limits = overloadLimits): boolean {
  return overloaded(r, limits) && r.learnerCpus != null && r.learnerCpus <= limits.learnerCpus;
}

/** How busy the machine was, in both languages (said as a string: the English). */
export function describeLoad(r: LoadReading): Localized {
  const ms = Math.round(r.lagMs);
  return r.pressure === null ? words.loadLag(ms) : words.loadLagPressure({ ms, percent: Math.round(r.pressure * 100) });
}

/** Total CPU stall time of the "some" line of /proc/pressure/cpu, µs; null where the kernel has no PSI. */
export function cpuPressureUs(text?: string): number | null {
  let s = text;
  if (s === undefined) {
    try {
      s = readFileSync('/proc/pressure/cpu', 'utf8');
    } catch {
      return null;
    }
  }
  const m = /^some .*\btotal=(\d+)/m.exec(s);
  return m ? Number(m[1]) : null;
}

export interface LoadSource {
  start(): void;
  stop(): void;
  mark(): LoadMark;
  since(mark: LoadMark): LoadReading;
}

/** Samples the grader's timer lateness while started; reads PSI at marks. */
export class LoadWatch implements LoadSource {
  private static readonly periodMs = 50;
  /** Late ticks only (lateness ≥ 20 ms), newest last, at most `keep`. */
  private late: Array<{ t: number; lag: number }> = [];
  private readonly keep = 20_000;
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private users = 0;

  start(): void {
    if (this.users++ > 0) return;
    this.last = nowMs();
    this.timer = setInterval(() => {
      const now = nowMs();
      const lag = now - this.last - LoadWatch.periodMs;
      this.last = now;
      if (lag >= 20) {
        this.late.push({ t: now, lag });
        if (this.late.length > this.keep) this.late.splice(0, this.late.length - this.keep);
      }
    }, LoadWatch.periodMs);
    this.timer.unref();
  }

  stop(): void {
    if (--this.users > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  mark(): LoadMark {
    return { t: nowMs(), psiUs: cpuPressureUs() };
  }

  since(mark: LoadMark): LoadReading {
    const now = nowMs();
    let lagMs = 0;
    for (let i = this.late.length - 1; i >= 0 && this.late[i]!.t >= mark.t; i--) lagMs = Math.max(lagMs, this.late[i]!.lag);
    const psi = cpuPressureUs();
    const spanUs = (now - mark.t) * 1000;
    const pressure = mark.psiUs === null || psi === null || spanUs <= 0 ? null : Math.min(1, Math.max(0, (psi - mark.psiUs) / spanUs));
    return { lagMs, pressure };
  }
}

/** One watch for the process: concurrent grades share its samples. */
export const loadWatch = new LoadWatch();
