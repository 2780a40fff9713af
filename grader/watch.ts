/**
 * `grade <exercise> --watch`: grade, then grade again whenever the learner's
 * file or a file in its folder is saved (debounced); the screen is cleared
 * for each grade, the previous score is shown beside the new one, and keys
 * work while it waits: r re-grade, h next hint, q quit. A grade is never cut
 * short by a save: a save during a grade queues one more grade after it.
 *
 * Files are watched with chokidar (inotify on Linux, FSEvents on macOS);
 * `--poll`, CHOKIDAR_USEPOLLING=1, or running inside a container (where
 * Docker Desktop's bind mounts deliver no inotify events) polls instead.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { watch as chokidarWatch } from 'chokidar';
import type { Messages } from './messages.ts';

export interface WatchIo {
  input: NodeJS.ReadStream;
  output: NodeJS.WriteStream;
}

export interface WatchOptions {
  /** The graded file; its folder is watched. */
  file: string;
  /** Grades once and prints the report; resolves the score. */
  gradeOnce(): Promise<{ score: number; maxScore: number; compileError?: string }>;
  /** The text of hint `level` (1-based), and how many there are. */
  hint(level: number): { text: string; count: number };
  poll?: boolean;
  /** How long saves must stop before a grade starts (ms). */
  debounceMs?: number;
  io?: WatchIo;
  /** Words of the footer, in the learner's language. */
  words: WatchWords;
}

export type WatchWords = Messages['watch'];

/** Polling where inotify is unlikely to see edits: asked for, or inside a container (bind mounts). */
export function shouldPoll(asked: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (asked) return true;
  if (/^(1|true)$/i.test(env.CHOKIDAR_USEPOLLING ?? '')) return true;
  return existsSync('/.dockerenv') || existsSync('/run/.containerenv');
}

const clearScreen = '\x1b[2J\x1b[3J\x1b[H';

/** Runs until q (0) or Ctrl-C (130); resolves the exit code. */
export async function watchLoop(opts: WatchOptions): Promise<number> {
  const { input, output } = opts.io ?? { input: process.stdin, output: process.stdout };
  const w = opts.words;
  const dir = path.dirname(opts.file);
  const shown = (p: string): string => (path.relative(process.cwd(), p).startsWith('..') ? p : path.relative(process.cwd(), p) || '.');
  const shownDir = shown(dir);
  const debounceMs = opts.debounceMs ?? 250;
  let before: string | undefined;
  let hintLevel = 0;
  let running = false;
  let again = false;
  let debounce: NodeJS.Timeout | undefined;
  let finish!: (code: number) => void;
  const done = new Promise<number>((r) => (finish = r));

  const footer = (): void => void output.write(`\n${w.keys(shownDir)}\n`);
  const gradeNow = async (): Promise<void> => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      do {
        again = false;
        if (output.isTTY) output.write(clearScreen);
        output.write(w.grading(shown(opts.file)) + '\n\n');
        const r = await opts.gradeOnce();
        const now = `${r.score}/${r.maxScore}`;
        if (r.compileError) output.write(`\n${w.compileError}\n`);
        else if (before) output.write(`\n${w.change(now, before)}\n`);
        if (!r.compileError) before = now;
        footer();
      } while (again);
    } finally {
      running = false;
    }
  };
  const soon = (): void => {
    clearTimeout(debounce);
    debounce = setTimeout(() => void gradeNow().catch(fail), debounceMs);
  };
  let failure: unknown;
  const fail = (err: unknown): void => {
    failure = err;
    finish(2);
  };

  const watcher = chokidarWatch(dir, {
    ignoreInitial: true,
    usePolling: shouldPoll(opts.poll),
    interval: 300,
    depth: 2,
    ignored: (p: string) => /(^|[/\\])(node_modules|\.git|\.grade)([/\\]|$)/.test(p),
  });
  watcher.on('all', (event) => {
    if (event === 'add' || event === 'change' || event === 'unlink') soon();
  });
  watcher.on('error', fail);

  const onKey = (data: Buffer): void => {
    for (const ch of data.toString('utf8')) {
      if (ch === 'q' || ch === 'Q') finish(0);
      else if (ch === '\x03') finish(130); // Ctrl-C, which raw mode delivers as a key
      else if (ch === 'r' || ch === 'R') void gradeNow().catch(fail);
      else if (ch === 'h' || ch === 'H') {
        const { count } = opts.hint(1);
        hintLevel = Math.min(hintLevel + 1, Math.max(count, 1));
        output.write('\n' + opts.hint(hintLevel).text + '\n');
        footer();
      }
    }
  };
  const raw = input.isTTY;
  if (raw) input.setRawMode(true);
  input.on('data', onKey);
  input.resume();

  try {
    await new Promise<void>((r) => watcher.once('ready', () => r()));
    await gradeNow().catch(fail);
    const code = await done;
    if (failure) throw failure;
    output.write(`\n${w.bye}\n`);
    return code;
  } finally {
    clearTimeout(debounce);
    input.off('data', onKey);
    if (raw) input.setRawMode(false);
    input.pause();
    await watcher.close();
  }
}
