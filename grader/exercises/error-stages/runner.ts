/**
 * Runs inside the learner's sandbox: builds the scenario's request, calls
 * probe once and reports what the promise did ('settled': resolved with what,
 * or rejected, or threw). Then it holds nothing, so the process lives exactly
 * as long as the learner's sockets and timers do: when it exits is evidence.
 * It holds no expectations.
 */
import { config, describeError, emit } from '../../../harness/runner-kit.ts';
import { learnerFunction, reportCrashes } from '../../kit/runner.ts';

/** A request: `head`, then `pattern` repeated, cut at `bytes` characters (ASCII). Built here: the instructions line is small. */
export interface RequestSpec {
  head: string;
  pattern: string;
  bytes: number;
}

export interface RunnerConfig {
  host: string;
  port: number;
  opts: { connectMs: number; idleMs: number };
  request: RequestSpec;
}

/** The same construction as in index.ts (which hashes it for the peer). */
export function buildRequest(r: RequestSpec): string {
  const fill = r.bytes - r.head.length;
  if (fill <= 0) return r.head.slice(0, r.bytes);
  return r.head + r.pattern.repeat(Math.ceil(fill / r.pattern.length)).slice(0, fill);
}

const cfg = config<RunnerConfig>();

function shape(v: unknown): Record<string, unknown> {
  if (!v || typeof v !== 'object') return { kind: typeof v, value: typeof v === 'string' ? v.slice(0, 200) : v === null ? null : String(v).slice(0, 200) };
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).slice(0, 10);
  const reply = typeof o.reply === 'string' ? o.reply : undefined;
  return {
    kind: 'object',
    keys,
    ok: typeof o.ok === 'boolean' ? o.ok : String(o.ok),
    stage: typeof o.stage === 'string' ? o.stage.slice(0, 40) : o.stage === undefined ? undefined : String(o.stage).slice(0, 40),
    code: typeof o.code === 'string' ? o.code.slice(0, 40) : o.code === undefined ? undefined : String(o.code).slice(0, 40),
    replyLength: reply?.length,
    // Long replies are compared by their length and both ends: enough to tell a cut or a copy.
    reply: reply === undefined ? undefined : reply.length <= 16000 ? reply : reply.slice(0, 8000) + reply.slice(-8000),
  };
}

async function main(): Promise<void> {
  const fn = await learnerFunction<(h: string, p: number, r: string, o: RunnerConfig['opts']) => Promise<unknown>>('probe');
  if (!fn) return;
  const request = buildRequest(cfg.request);
  emit('call');
  let promise: Promise<unknown>;
  try {
    promise = Promise.resolve(fn(cfg.host, cfg.port, request, { ...cfg.opts }));
  } catch (err) {
    emit('settled', { how: 'threw', error: describeError(err) });
    return;
  }
  try {
    const value = await promise;
    emit('settled', { how: 'resolved', value: shape(value) });
  } catch (err) {
    emit('settled', { how: 'rejected', error: describeError(err) });
  }
}

reportCrashes();
void main();
