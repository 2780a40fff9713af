/**
 * What an exercise is to the grader: scenarios that gather evidence in labs,
 * and checks that judge it. Checks are pure functions of evidence.
 */
import type { Lab, LabSpec } from '../harness/lab.ts';
import type { Draws } from './draws.ts';
import type { Text } from './i18n.ts';

export const categories = ['correctness', 'error-handling', 'timeouts', 'backoff', 'shutdown', 'resources'] as const;
export type Category = (typeof categories)[number];
export type Status = 'pass' | 'fail' | 'error' | 'skip';

export interface CheckResult {
  id: string;
  category: Category;
  title: string;
  status: Status;
  points: number;
  maxPoints: number;
  message: string;
}

/** What a check concludes: passed or not, and what was seen (and what to try, when failed). */
export interface Verdict {
  pass: boolean;
  /** In every language (grader/i18n.ts), or English only. */
  message: Text;
}

/** The programs a scenario can start, already built. */
export interface Programs {
  /** The learner's code: the exercise's runner around the learner's module, or the learner's program itself. */
  learner: string;
  /** Harness peers by name (see ExerciseDef.peers). */
  peers: Record<string, string>;
}

export interface ScenarioContext {
  lab: Lab;
  programs: Programs;
  /** Which trial this is, from 0, for scenarios run more than once. */
  trial: number;
  /** Draws of this scenario and trial (a fork of the run's seed), for values chosen while it runs. */
  draws: Draws;
}

export interface Scenario<E = unknown> {
  id: string;
  /** For progress lines: in every language (grader/i18n.ts), or English only. */
  title: Text;
  lab: LabSpec;
  /** How many independent trials to run (each in its own lab). Default 1. */
  trials?: number;
  /** How long the scenario waits by design (timeouts, backoff, drain), for the bench. */
  inherentWaitMs: number;
  /** A scenario still running after this is stopped and its checks error. */
  deadlineMs: number;
  run(ctx: ScenarioContext): Promise<E>;
}

/** Evidence of every scenario, by scenario id: one entry per trial. */
export type EvidenceSet = Record<string, unknown[]>;

export interface Check {
  id: string;
  category: Category;
  /** In every language (grader/i18n.ts), or English only. */
  title: Text;
  points: number;
  /** Scenario ids whose evidence this check reads. */
  needs: string[];
  judge(evidence: EvidenceSet): Verdict;
}

export interface ExerciseDef {
  id: string;
  title: string;
  /** The title and course section in Vietnamese (the English ones are `title` and `part`). */
  vi?: { title: string; part: string };
  /** The course part and section it teaches, e.g. 'Part 10 — Timeouts at every layer'. */
  part: string;
  /** 'module': the learner's file exports functions, called by `runner`. 'program': it runs as is. */
  kind: 'module' | 'program';
  /** For 'module' exercises: the harness program that imports the learner's module and reports. */
  runner?: string;
  /** Harness peer programs the scenarios start, by name: entry file paths. */
  peers: Record<string, string>;
  /**
   * The scenarios, or a function that builds them from the run's draws
   * (grader/draws.ts): every value a learner could special-case is drawn.
   */
  scenarios: Scenario<any>[] | ((draws: Draws) => Scenario<any>[]);
  checks: Check[];
}
