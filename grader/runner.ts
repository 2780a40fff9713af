/**
 * Starting a module exercise's runner (harness/runner-kit.ts) in a lab: a
 * fresh key per run, the scenario's instructions on stdin (never in argv or
 * env, where the learner's module could read them), Node's permission model
 * on, and only records signed with the key counted as evidence.
 */
import { randomBytes } from 'node:crypto';
import type { Limits } from '../harness/lab.ts';
import { permissionFlags } from '../harness/node-flags.ts';
import type { LabProcess } from '../harness/process.ts';
import type { ScenarioContext } from './types.ts';

/** The learner's bundle, beside the runner's in the run folder (grader/grade.ts). */
export const learnerBundleName = 'learner.mjs';

/** A runner whose Node is up (or booting), waiting for its instructions: nothing of the learner's has loaded yet. */
export interface BootedRunner {
  proc: LabProcess;
  /** Sends the scenario's instructions: the runner reads them, then loads the learner's module. */
  start(config: unknown): LabProcess;
}

/**
 * Starts a runner without its instructions: harness/runner-kit.ts blocks on
 * its first stdin line before anything else runs, so Node's start (the
 * slowest part of a program's start) can overlap the peers' starts.
 */
export async function bootRunner(ctx: ScenarioContext, limits?: Partial<Limits>): Promise<BootedRunner> {
  const key = randomBytes(32);
  const proc = await ctx.lab.startLearner({ file: ctx.programs.learner, nodeArgs: permissionFlags() }, limits);
  proc.requireSigned(key);
  return {
    proc,
    start(config) {
      proc.writeLine(JSON.stringify({ key: key.toString('hex'), config, learner: `./${learnerBundleName}` }));
      return proc;
    },
  };
}

export async function startRunner(ctx: ScenarioContext, config: unknown, limits?: Partial<Limits>): Promise<LabProcess> {
  return (await bootRunner(ctx, limits)).start(config);
}
