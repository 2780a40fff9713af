/**
 * The report formats `grade --format F` writes, by name, with the file each
 * is written to inside `--out DIR`. Gradescope, Exercism and PrairieLearn all
 * read a file named `results.json`: asked alone, each is written so; asked
 * together, each goes to `DIR/<format>/results.json`.
 */
import { jsonAllReport, jsonReport } from '../report.ts';
import { classroomReport } from './classroom.ts';
import type { Graded } from './common.ts';
import { exercismReport } from './exercism.ts';
import { gradescopeReport } from './gradescope.ts';
import { junitReport } from './junit.ts';
import { markdownReport } from './markdown.ts';
import { prairielearnReport } from './prairielearn.ts';
import { tapReport } from './tap.ts';

export type { Graded } from './common.ts';

interface Format {
  /** Its conventional file name inside --out. */
  file: string;
  what: string;
  /** `all`: the run graded every exercise (`--all`), which changes the JSON report's shape. */
  render(runs: readonly Graded[], all: boolean): string;
}

const pretty = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';

export const formats = {
  json: {
    file: 'grade.json',
    what: 'the --json object (with --all: { exercises, score, maxScore, passed })',
    render: (runs, all) => JSON.stringify(all ? jsonAllReport(runs.map((g) => g.result)) : jsonReport(runs[0]!.result)) + '\n',
  },
  tap: { file: 'results.tap', what: 'TAP version 14', render: (runs) => tapReport(runs) },
  junit: { file: 'junit.xml', what: 'JUnit XML', render: (runs) => junitReport(runs) },
  classroom: { file: 'classroom.json', what: "GitHub Classroom's grader result", render: (runs) => pretty(classroomReport(runs)) },
  gradescope: { file: 'results.json', what: "Gradescope's results.json", render: (runs) => pretty(gradescopeReport(runs)) },
  exercism: { file: 'results.json', what: "Exercism's test runner results.json (v3)", render: (runs) => pretty(exercismReport(runs)) },
  prairielearn: { file: 'results.json', what: "PrairieLearn's external grader results.json", render: (runs) => pretty(prairielearnReport(runs)) },
  markdown: { file: 'summary.md', what: 'a Markdown summary', render: (runs) => markdownReport(runs) + '\n' },
} satisfies Record<string, Format>;

export type FormatName = keyof typeof formats;
export const formatNames = Object.keys(formats) as FormatName[];

export const isFormat = (name: string): name is FormatName => Object.hasOwn(formats, name);

/** Where each asked format goes inside --out: its conventional name, in a folder of its own when another asked format has the same. */
export function outputFiles(names: readonly FormatName[]): Map<FormatName, string> {
  const unique = [...new Set(names)];
  const taken = (file: string) => unique.filter((n) => formats[n].file === file).length;
  return new Map(unique.map((n) => [n, taken(formats[n].file) > 1 ? `${n}/${formats[n].file}` : formats[n].file]));
}

export function render(name: FormatName, runs: readonly Graded[], all: boolean): string {
  return formats[name].render(runs, all);
}
