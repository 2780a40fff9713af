/**
 * Shelling out, through zx: argv arrays are quoted for us, a non-zero exit
 * is an error carrying exit code and stderr. Quiet by default: the grader's
 * own output is the report, not the commands.
 */
import { spawn } from 'node:child_process';
import { $ as zx, type ProcessOutput } from 'zx';

export const $ = zx({ quiet: true, verbose: false });
/** The same, for commands whose failure the caller inspects itself. */
export const $try = zx({ quiet: true, verbose: false, nothrow: true });

/**
 * Runs `cmd` (no shell between: a shell's start costs more than a short
 * command) with `input` on stdin; throws with its stderr on failure.
 */
export function runWithInput(cmd: string[], input: string): Promise<{ stdout: string; stderr: string }> {
  const [file, ...args] = cmd;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b));
    child.stderr.on('data', (b: Buffer) => (stderr += b));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(Object.assign(new Error(`${cmd.join(' ')}: exit ${signal ?? code}`), { stdout, stderr, exitCode: code }));
    });
    // The command may be gone before it reads its input.
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}

export function errorText(err: unknown): string {
  const out = err as Partial<ProcessOutput> & { message?: string };
  const stderr = typeof out.stderr === 'string' ? out.stderr.trim() : '';
  return stderr || out.message || String(err);
}
