/** Small readers of evidence shared by checks: error shapes, durations. */
import { localized, type Localized } from './i18n.ts';

export interface ErrorShape {
  isError?: boolean;
  name?: string;
  code?: string;
  message?: string;
  cause?: ErrorShape;
}

/** Every way the course accepts to say "this was a timeout". */
export function readsAsTimeout(err: unknown): boolean {
  const e = err as ErrorShape | undefined;
  if (!e) return false;
  if (e.code === 'ETIMEDOUT' || e.name === 'TimeoutError') return true;
  if (typeof e.message === 'string' && /time[sd]?[\s_-]?out/i.test(e.message)) return true;
  return false;
}

export function errorSummary(err: unknown): string {
  return errorSummaryText(err).en;
}

/** errorSummary in every language. */
export function errorSummaryText(err: unknown): Localized {
  const e = err as ErrorShape | undefined;
  if (!e) return localized('no error', 'không có error');
  const parts: string[] = [];
  if (e.code) parts.push(`code ${e.code}`);
  if (e.name && e.name !== 'Error') parts.push(`name ${e.name}`);
  if (e.message) parts.push(JSON.stringify(e.message.length > 80 ? e.message.slice(0, 77) + '…' : e.message));
  const notError = e.isError ? '' : ' (not an Error object)';
  const notErrorVi = e.isError ? '' : ' (không phải một object Error)';
  if (!parts.length) return localized(`an empty error${notError}`, `một error rỗng${notErrorVi}`);
  return localized(`an error with ${parts.join(', ')}${notError}`, `một error có ${parts.join(', ')}${notErrorVi}`);
}

export function ms(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The line of a crashed process's stderr that names the error, as ": <line>" (or ""). */
export function firstErrorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /^(\w*Error|Uncaught|TypeError|RangeError)\b|Error:/.test(l)) ?? lines[0];
  return line ? `: ${line.length > 160 ? line.slice(0, 157) + '…' : line}` : '';
}
