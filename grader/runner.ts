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

export async function startRunner(ctx: ScenarioContext, config: unknown, limits?: Partial<Limits>): Promise<LabProcess> {
  const key = randomBytes(32);
  const proc = await ctx.lab.startLearner({ file: ctx.programs.learner, nodeArgs: permissionFlags() }, limits);
  proc.requireSigned(key);
  proc.writeLine(JSON.stringify({ key: key.toString('hex'), config, learner: `./${learnerBundleName}` }));
  return proc;
}
