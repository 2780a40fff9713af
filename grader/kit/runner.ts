/**
 * The toolkit's side inside the learner's sandbox: what every runner does
 * around the learner's module. harness/runner-kit.ts keeps the process safe
 * from the learner's code; this finds the export, reports a crash, and ends
 * when the grader has read everything. A runner imports runner-kit first.
 */
import { after, describeError, emitSync, exitNow, importLearner } from '../../harness/runner-kit.ts';
import { onCommand } from '../../harness/agent.ts';

/**
 * The learner's export `name` if it is a function; otherwise undefined, once
 * 'missing-export' is reported (grader/kit describes it).
 */
export async function learnerFunction<F>(name: string): Promise<F | undefined> {
  const fn = (await importLearner())[name];
  if (typeof fn === 'function') return fn as F;
  emitSync('missing-export', { name });
  return undefined;
}

/**
 * A crash is evidence, not noise: reported as 'crash', then `andThen` — by
 * default the exit an uncaught error makes (70 here, so it is told from the
 * learner's own exits). Reporting also keeps Node's stack trace off stderr,
 * which is the learner's log.
 */
export function reportCrashes(andThen: () => void = () => exitNow(70)): void {
  process.on('uncaughtException', (err) => {
    emitSync('crash', { error: describeError(err) });
    andThen();
  });
}

/**
 * Says 'done', then exits with `code` when the grader says it has read every
 * event (`letExit` in grader/kit sends 'exit' on stdin; a process that exits
 * at once can lose the tail of its events in the pipe), or after `graceMs`.
 */
export function doneThenExit(code: number, graceMs = 5000): void {
  emitSync('done');
  after(graceMs, () => exitNow(code));
  onCommand((c) => {
    if (c.cmd === 'exit') exitNow(code);
  });
}
