/**
 * GitHub Actions: `::error` workflow commands that annotate the learner's
 * file with each check that did not pass, and the wrapping that keeps learner
 * text in a log from being read as commands.
 *
 * Escaping as @actions/core does it (toolkit packages/core/src/command.ts):
 * in the message `%`, CR and LF become %25, %0D, %0A; in a property also `:`
 * and `,` (%3A, %2C). Actions shows at most 10 error annotations per step
 * (toolkit docs/problem-matchers.md, "Limitations"), so past ten the tenth
 * says how many more there are.
 */
import type { CheckResult } from '../types.ts';
import { type Graded, clip, oneLine } from './common.ts';
import { inert } from '../report.ts';

export const errorAnnotationsPerStep = 10;
const messageMax = 4_000;

export const escapeData = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
export const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

interface Annotation {
  file?: string;
  line?: number;
  col?: number;
  title: string;
  message: string;
}

function command(a: Annotation): string {
  const props: Array<[string, string | number | undefined]> = [
    ['file', a.file],
    ['line', a.line],
    ['col', a.col],
    ['title', a.title],
  ];
  const list = props
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  return `::error ${list}::${escapeData(clip(inert(a.message), messageMax))}`;
}

function annotationsOf(g: Graded): Annotation[] {
  const r = g.result;
  if (r.compileError) {
    // esbuild's messages start `file:line:col: `: point at the first, when it is in the learner's file.
    const at = /^(.+?):(\d+):(\d+): /.exec(r.compileError.split('\n')[0] ?? '');
    const here = at !== null && at[1]!.split(/[\\/]/).pop() === g.file.split(/[\\/]/).pop();
    return [{ file: g.file, line: here ? Number(at[2]) : undefined, col: here ? Number(at[3]) : undefined, title: `${r.exercise}: does not compile`, message: r.compileError }];
  }
  return r.checks
    .filter((c: CheckResult) => c.status === 'fail' || c.status === 'error')
    .map((c) => ({
      file: g.file,
      title: oneLine(`${r.exercise}: ${c.title}`),
      message: `${c.status === 'error' ? 'not judged' : 'failed'} (${c.category}, ${c.points}/${c.maxPoints} points): ${c.message}`,
    }));
}

/** The workflow commands, one per line: at most 10 error annotations, the last saying how many more when there are. */
export function githubAnnotations(runs: readonly Graded[]): string[] {
  const all = runs.flatMap(annotationsOf);
  if (all.length <= errorAnnotationsPerStep) return all.map(command);
  const shown = all.slice(0, errorAnnotationsPerStep - 1);
  const more = all.length - shown.length;
  return [
    ...shown.map(command),
    command({
      title: `${more} more checks did not pass`,
      message: `GitHub shows at most ${errorAnnotationsPerStep} error annotations per step: ${more} more checks did not pass (the report and the job summary list every one).`,
    }),
  ];
}

/**
 * Text that quotes the learner (the human report) printed where the runner
 * reads workflow commands: between `::stop-commands::TOKEN` and `::TOKEN::`
 * nothing is a command, so a line the learner wrote (a forged
 * `::notice title=Autograding report::…`, an `::add-mask::`) stays text.
 * The token must be unguessable: the CLI draws it for each run.
 */
export function withoutCommands(text: string, token: string): string {
  return `::stop-commands::${token}\n${text}\n::${token}::`;
}
