/**
 * Shelling out, through zx: argv arrays are quoted for us, a non-zero exit
 * is an error carrying exit code and stderr. Quiet by default: the grader's
 * own output is the report, not the commands.
 */
import { $ as zx, type ProcessOutput } from 'zx';

export const $ = zx({ quiet: true, verbose: false });
/** The same, for commands whose failure the caller inspects itself. */
export const $try = zx({ quiet: true, verbose: false, nothrow: true });

/** Runs `cmd` with `input` on stdin; throws with stderr on failure. */
export async function runWithInput(cmd: string[], input: string): Promise<ProcessOutput> {
  const p = $({ input })`${cmd}`;
  return p;
}

export function errorText(err: unknown): string {
  const out = err as Partial<ProcessOutput> & { message?: string };
  const stderr = typeof out.stderr === 'string' ? out.stderr.trim() : '';
  return stderr || out.message || String(err);
}
