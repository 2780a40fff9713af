/**
 * Runs inside the learner's sandbox and loads the learner's module
 * (harness/runner-kit.ts):
 * starts many independent retryWithBackoff calls at the same moment (like
 * many clients of one failing service) and records, for each, every call of
 * `fn` with its time, what `shouldRetry` was asked, and how the promise
 * settled. It holds no expectations; the grader judges.
 */
import { after, config, describeError, emit, emitSync, now as nowMs, sleep } from '../../../harness/runner-kit.ts';
import { doneThenExit, learnerFunction, reportCrashes } from '../../kit/runner.ts';
import net from 'node:net';
import type { ClientRecord, RetryOpts } from './stats.ts';

export interface CaseConfig {
  id: string;
  clients: number;
  opts: RetryOpts;
  /** Calls from this one on (1-based) succeed; earlier ones fail. Absent: every call fails. */
  succeedFrom?: number;
  /** This call's error is fatal, and a shouldRetry is passed that says no to it (and yes to the others). */
  fatalCall?: number;
  /** The codes of the errors fn throws (drawn per run): a transient one, and the one shouldRetry refuses. */
  errors?: { transient: string; fatal: string };
  /** Real connections: client i connects to host:ports[i]; a refused connection is the failure. */
  connect?: { host: string; ports: number[] };
}

export interface RunnerConfig {
  cases: CaseConfig[];
  /** Stop waiting for unsettled promises after this long. */
  limitMs: number;
  /** Keep watching this long after every promise settled, for calls made after the fact. */
  watchMs: number;
}

type Retry = (fn: () => Promise<unknown>, opts: Record<string, unknown>) => unknown;

const cfg = config<RunnerConfig>();
let retry: Retry | undefined;
const records: ClientRecord[] = [];
const sockets: net.Socket[] = [];

function connectOnce(host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host, port });
    s.once('connect', () => {
      s.removeListener('error', reject);
      s.on('error', () => {});
      sockets.push(s);
      resolve(s);
    });
    s.once('error', (err) => {
      s.destroy();
      reject(err);
    });
  });
}

class TransientError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}
class FatalError extends Error {
  readonly fatal = true;
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

async function client(c: CaseConfig, index: number): Promise<void> {
  const rec: ClientRecord = { case: c.id, client: index, calls: [], result: { kind: 'pending', t: 0, fromCall: null }, asked: [] };
  records.push(rec);
  // Which call produced an object: by identity, so a wrapped or copied error is told apart.
  const madeBy = new Map<unknown, number>();
  const callOf = (x: unknown): number | null => (x !== null && typeof x === 'object' ? (madeBy.get(x) ?? null) : null);

  const fn = async (): Promise<unknown> => {
    const n = rec.calls.length + 1;
    const call: ClientRecord['calls'][number] = { t: nowMs() };
    rec.calls.push(call);
    try {
      let value: unknown;
      if (c.connect) {
        value = await connectOnce(c.connect.host, c.connect.ports[index]!);
      } else if (c.succeedFrom !== undefined && n >= c.succeedFrom) {
        value = { client: index, call: n };
      } else if (n === c.fatalCall) {
        throw new FatalError(`${c.errors?.fatal ?? 'EACCES'}: this request cannot succeed (retrying will not help)`, c.errors?.fatal ?? 'EACCES');
      } else {
        throw new TransientError(`${c.errors?.transient ?? 'ECONNRESET'}: the service failed this request`, c.errors?.transient ?? 'ECONNRESET');
      }
      madeBy.set(value, n);
      call.end = nowMs();
      call.ok = true;
      return value;
    } catch (err) {
      if (!madeBy.has(err)) madeBy.set(err, n);
      call.end ??= nowMs();
      call.ok = false;
      throw err;
    }
  };

  const opts: Record<string, unknown> = { ...c.opts };
  if (c.fatalCall !== undefined) {
    opts.shouldRetry = (err: unknown, attempt: unknown): boolean => {
      rec.asked.push({ attempt: typeof attempt === 'number' ? attempt : String(attempt), fromCall: callOf(err) });
      return !(err instanceof FatalError);
    };
  }

  let pending: unknown;
  try {
    pending = retry!(fn, opts);
  } catch (err) {
    rec.result = { kind: 'threw', t: nowMs(), fromCall: callOf(err), error: describeError(err) };
    return;
  }
  try {
    const value = await pending;
    rec.result = { kind: 'resolved', t: nowMs(), fromCall: callOf(value) };
  } catch (err) {
    rec.result = { kind: 'rejected', t: nowMs(), fromCall: callOf(err), error: describeError(err) };
  }
}

let finished = false;

/** Reports every client, then exits once the grader has read them. */
function finish(code = 0): void {
  if (finished) return;
  finished = true;
  for (const r of records) emitSync('client', { record: r });
  for (const s of sockets) s.destroy();
  doneThenExit(code);
}

async function main(): Promise<void> {
  retry = await learnerFunction<Retry>('retryWithBackoff');
  if (!retry) {
    finish();
    return;
  }
  // Let the process settle (module loading, first compilations) before the clock starts to matter.
  for (let i = 0; i < 5; i++) await sleep(20);
  const limit = after(cfg.limitMs, () => finish());
  emit('start');
  await Promise.all(cfg.cases.flatMap((c) => Array.from({ length: c.clients }, (_, i) => client(c, i))));
  limit.cancel();
  if (cfg.watchMs > 0) await sleep(cfg.watchMs);
  finish();
}

reportCrashes(() => finish(70));
// A rejection nobody handles is the learner's bug, but it must not end the
// run before the other clients are recorded: note it and carry on.
process.on('unhandledRejection', (err) => emit('unhandled-rejection', { error: describeError(err) }));
void main();
