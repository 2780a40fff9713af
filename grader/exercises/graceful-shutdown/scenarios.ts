/**
 * The scenarios of graceful-shutdown: start the learner's server, wait until a
 * peer gets an answer, put some requests in flight (and a keep-alive
 * connection at rest), send the signal, then watch from the peer and the
 * router until the process exits. Evidence only: the checks judge it.
 */
import { nowMs, sleep } from '../../../harness/clock.ts';
import type { AgentEvent, LabProcess } from '../../../harness/process.ts';
import { exerciseKit, observe, runProgram, startPeer, waitUntil, type ProcessRecord } from '../../kit/index.ts';
import type { ScenarioContext } from '../../types.ts';
import type { Draws } from '../../draws.ts';
import { m } from './messages.ts';

export const clientPeerFile = new URL('../../../harness/peers/http-client.ts', import.meta.url).pathname;

/**
 * What each run draws (grader/draws.ts), so that nothing a program could key
 * on is a constant: the port of every scenario, SHUTDOWN_TIMEOUT_MS, how long
 * each request works, the paths asked for, when the late connection comes.
 * The deadline scenarios keep SIGTERM (every mutant must fail the same checks
 * at every seed); SIGINT has a scenario of its own. The keep-alive request's
 * answer comes at least 400 ms after SIGTERM is sent (leadMs 200): under
 * Docker the daemon delivers a signal, which on a busy machine took up to
 * ~400 ms, and that answer must come during the drain to be judged by it.
 */
export const ranges = {
  port: [20000, 60000],
  drain: { shutdownTimeoutMs: [4000, 6000], probeWorkMs: [200, 400], longWorkMs: [1200, 2000], keepAliveWorkMs: [600, 900], followWorkMs: [150, 250], lateConnectMs: [200, 300] },
  interrupt: { workMs: [800, 1400] },
  deadline: { shutdownTimeoutMs: [1200, 3000] },
} as const;

/** The contract's deadline when SHUTDOWN_TIMEOUT_MS is not set. */
export const defaultShutdownTimeoutMs = 10_000;

export interface DrainPlan {
  port: number;
  shutdownTimeoutMs: number;
  /** GET /work?ms=… timed before the signal, for the routes check. */
  probeWorkMs: number;
  /** The long in-flight request: still running well after the signal. */
  longWorkMs: number;
  /** The in-flight request on the keep-alive connection that then sends another. */
  keepAliveWorkMs: number;
  followPath: string;
  otherPath: string;
  /** Requests are in the handler this long before the signal. */
  leadMs: number;
  /** A new connection is tried this long after the signal. */
  lateConnectMs: number;
}

/** SIGINT: one request in flight, the client closes its connection once answered; no SHUTDOWN_TIMEOUT_MS. */
export interface InterruptPlan {
  port: number;
  workMs: number;
  leadMs: number;
}

/** A deadline: work that outlasts SHUTDOWN_TIMEOUT_MS (null: the variable is not set, the default applies). */
export interface DeadlinePlan {
  port: number;
  shutdownTimeoutMs: number | null;
  workMs: number;
  leadMs: number;
}

export type Plan = DrainPlan | InterruptPlan | DeadlinePlan;

export function drawPlans(draws: Draws): { drain: DrainPlan; interrupt: InterruptPlan; deadline: DeadlinePlan; defaultDeadline: DeadlinePlan } {
  const [drainPort, interruptPort, deadlinePort, defaultPort] = draws.distinct('ports', 4, ...ranges.port);
  const r = ranges.drain;
  const drain: DrainPlan = {
    port: drainPort!,
    shutdownTimeoutMs: draws.int('drain.shutdownTimeoutMs', ...r.shutdownTimeoutMs),
    probeWorkMs: draws.int('drain.probeWorkMs', ...r.probeWorkMs),
    longWorkMs: draws.int('drain.longWorkMs', ...r.longWorkMs),
    keepAliveWorkMs: draws.int('drain.keepAliveWorkMs', ...r.keepAliveWorkMs),
    followPath: `/work?ms=${draws.int('drain.followWorkMs', ...r.followWorkMs)}`,
    otherPath: `/${draws.pick('drain.otherPath', ['status', 'health', 'info', 'metrics', 'version'])}?check=${draws.int('drain.otherQuery', 1, 999)}`,
    leadMs: 200,
    lateConnectMs: draws.int('drain.lateConnectMs', ...r.lateConnectMs),
  };
  const interrupt: InterruptPlan = { port: interruptPort!, workMs: draws.int('interrupt.workMs', ...ranges.interrupt.workMs), leadMs: 200 };
  const limit = draws.int('deadline.shutdownTimeoutMs', ...ranges.deadline.shutdownTimeoutMs);
  const deadline: DeadlinePlan = { port: deadlinePort!, shutdownTimeoutMs: limit, workMs: limit + 4000, leadMs: 200 };
  const defaultDeadline: DeadlinePlan = { port: defaultPort!, shutdownTimeoutMs: null, workMs: defaultShutdownTimeoutMs + 4000, leadMs: 200 };
  return { drain, interrupt, deadline, defaultDeadline };
}

export interface RunEvidence<P extends Plan = Plan> {
  /** The scenario's draws. */
  plan: P;
  port: number;
  signal: NodeJS.Signals;
  shutdownTimeoutMs: number | null;
  ready: AgentEvent | null;
  /** Monotonic ms when the signal was sent (null: never, the server did not come up). */
  signalAt: number | null;
  /**
   * When the call that sent it returned: the signal reached the program
   * between signalAt and this. The same moment under netns (a kill(2)); under
   * Docker the daemon delivers it, and on a busy machine that took several
   * hundred ms. "Not before" bounds count from signalAt, "soon after" bounds
   * from here, so the daemon's lag is never held against the learner.
   */
  signalDoneAt: number | null;
  /** What the peer client saw, in order. */
  client: AgentEvent[];
  /** Its exit is null when it was still running at the end of the watch (and stopped). */
  learner: ProcessRecord;
  learnerAddress: string;
  clientAddress: string;
}

/** Evidence by scenario id. */
export interface Evidence {
  'drain-sigterm': RunEvidence<DrainPlan>;
  'drain-sigint': RunEvidence<InterruptPlan>;
  deadline: RunEvidence<DeadlinePlan>;
  'deadline-default': RunEvidence<DeadlinePlan>;
}
export const kit = exerciseKit<Evidence>();

async function start(
  ctx: ScenarioContext,
  port: number,
  env: Record<string, string>,
): Promise<{ learner: LabProcess; client: LabProcess; ready: AgentEvent | null }> {
  const client = await startPeer(ctx, 'client', { config: { host: ctx.lab.addresses.learner, port } });
  const learner = await runProgram(ctx, { env: { PORT: String(port), ...env } }, { wallMs: 20_000 });
  client.send({ cmd: 'probe', timeoutMs: 6000 });
  const answer = await Promise.race([
    client.waitFor('ready', 7000),
    client.waitFor('not-ready', 7000).then(() => null),
    // A program that dies at start (the stub) will never answer: stop probing.
    learner.exited.then(async () => {
      await sleep(50);
      return client.eventsOf('ready')[0] ?? null;
    }),
  ]);
  return { learner, client, ready: answer ?? null };
}

async function finish<P extends Plan>(
  ctx: ScenarioContext,
  learner: LabProcess,
  client: LabProcess,
  base: Omit<RunEvidence<P>, 'client' | 'learner' | 'learnerAddress' | 'clientAddress'>,
  watchUntil: number,
): Promise<RunEvidence<P>> {
  // Let the peer report what the exit did to its connections: every one it
  // opened ends now (the learner's side is gone), so wait for those closes.
  const closed = (): boolean => {
    const opened = new Set(client.eventsOf('connected').map((e) => e.id));
    for (const e of client.eventsOf('closed')) opened.delete(e.id);
    return opened.size === 0 || !client.running;
  };
  const record = await observe(ctx.lab, learner, {
    exitWithinMs: Math.max(0, watchUntil - nowMs()),
    afterExit: async () => {
      await waitUntil(closed, 1500);
      await sleep(30);
    },
  });
  return {
    ...base,
    client: [...client.events],
    learner: record,
    learnerAddress: ctx.lab.addresses.learner,
    clientAddress: ctx.lab.addresses.peers.client!,
  };
}

/** The server never answered: no signal is sent; the evidence says why. */
function notReady<P extends Plan>(
  ctx: ScenarioContext,
  learner: LabProcess,
  client: LabProcess,
  plan: P,
  signal: NodeJS.Signals,
  shutdownTimeoutMs: number | null,
): Promise<RunEvidence<P>> {
  return finish(ctx, learner, client, { plan, port: plan.port, signal, shutdownTimeoutMs, ready: null, signalAt: null, signalDoneAt: null }, nowMs());
}

/** Waits until every connection in `ids` has connected or failed to. */
async function opened(client: LabProcess, ids: string[]): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      Promise.race([client.waitFor('connected', 3000, (e) => e.id === id), client.waitFor('connect-error', 3000, (e) => e.id === id)]),
    ),
  );
}

/**
 * SIGTERM with everything at once: an idle keep-alive connection, a long
 * request in flight, a keep-alive connection whose in-flight request is
 * followed by another, and a new connection tried during the drain.
 */
async function runDrain(ctx: ScenarioContext, d: DrainPlan): Promise<RunEvidence<DrainPlan>> {
  const env = { SHUTDOWN_TIMEOUT_MS: String(d.shutdownTimeoutMs) };
  const { learner, client, ready } = await start(ctx, d.port, env);
  if (!ready) return notReady(ctx, learner, client, d, 'SIGTERM', d.shutdownTimeoutMs);

  for (const id of ['idle', 'timed', 'long', 'keepalive']) client.send({ cmd: 'open', id });
  await opened(client, ['idle', 'timed', 'long', 'keepalive']);
  client.send({ cmd: 'request', id: 'idle', path: d.otherPath });
  client.send({ cmd: 'request', id: 'timed', path: `/work?ms=${d.probeWorkMs}`, closeAfter: true });
  await Promise.all([
    client.waitFor('response', 2000, (e) => e.id === 'idle'),
    client.waitFor('response', d.probeWorkMs + 2000, (e) => e.id === 'timed'),
  ]);

  client.send({ cmd: 'request', id: 'long', path: `/work?ms=${d.longWorkMs}` });
  client.send({ cmd: 'request', id: 'keepalive', path: `/work?ms=${d.keepAliveWorkMs}`, follow: d.followPath });
  await sleep(d.leadMs);
  const signalAt = nowMs();
  // The late connection comes after the signal is in (Docker delivers it through the daemon).
  await learner.signal('SIGTERM');
  const signalDoneAt = nowMs();

  await sleep(d.lateConnectMs);
  client.send({ cmd: 'open', id: 'late' });
  await opened(client, ['late']);
  const late = client.eventsOf('connected').find((e) => e.id === 'late');
  if (late) client.send({ cmd: 'request', id: 'late', path: '/' });

  const base = { plan: d, port: d.port, signal: 'SIGTERM' as const, shutdownTimeoutMs: d.shutdownTimeoutMs, ready, signalAt, signalDoneAt };
  return finish(ctx, learner, client, base, signalAt + d.shutdownTimeoutMs + 1000);
}

/** SIGINT: one request in flight; its client closes the connection once answered. */
async function runInterrupt(ctx: ScenarioContext, s: InterruptPlan): Promise<RunEvidence<InterruptPlan>> {
  // No SHUTDOWN_TIMEOUT_MS here: the program's default (10 s) applies.
  const { learner, client, ready } = await start(ctx, s.port, {});
  if (!ready) return notReady(ctx, learner, client, s, 'SIGINT', null);
  client.send({ cmd: 'open', id: 'work' });
  await opened(client, ['work']);
  client.send({ cmd: 'request', id: 'work', path: `/work?ms=${s.workMs}`, closeAfter: true });
  await sleep(s.leadMs);
  const signalAt = nowMs();
  await learner.signal('SIGINT');
  const signalDoneAt = nowMs();
  const base = { plan: s, port: s.port, signal: 'SIGINT' as const, shutdownTimeoutMs: null, ready, signalAt, signalDoneAt };
  return finish(ctx, learner, client, base, signalAt + s.workMs + 4500);
}

/** SIGTERM while work runs far past SHUTDOWN_TIMEOUT_MS (or past the default when it is not set). */
async function runDeadline(ctx: ScenarioContext, s: DeadlinePlan): Promise<RunEvidence<DeadlinePlan>> {
  const env: Record<string, string> = s.shutdownTimeoutMs === null ? {} : { SHUTDOWN_TIMEOUT_MS: String(s.shutdownTimeoutMs) };
  const { learner, client, ready } = await start(ctx, s.port, env);
  if (!ready) return notReady(ctx, learner, client, s, 'SIGTERM', s.shutdownTimeoutMs);
  client.send({ cmd: 'open', id: 'work' });
  await opened(client, ['work']);
  client.send({ cmd: 'request', id: 'work', path: `/work?ms=${s.workMs}` });
  await sleep(s.leadMs);
  const signalAt = nowMs();
  await learner.signal('SIGTERM');
  const signalDoneAt = nowMs();
  const base = { plan: s, port: s.port, signal: 'SIGTERM' as const, shutdownTimeoutMs: s.shutdownTimeoutMs, ready, signalAt, signalDoneAt };
  return finish(ctx, learner, client, base, signalAt + (s.shutdownTimeoutMs ?? defaultShutdownTimeoutMs) + 1500);
}

const lab = { peers: ['client'] };

export function scenarios(draws: Draws) {
  const p = drawPlans(draws);
  return [
    kit.scenario({
      id: 'drain-sigterm',
      title: m.scDrain,
      lab,
      inherentWaitMs: p.drain.probeWorkMs + p.drain.leadMs + p.drain.longWorkMs,
      deadlineMs: 25_000,
      run: (ctx) => runDrain(ctx, p.drain),
    }),
    kit.scenario({
      id: 'drain-sigint',
      title: m.scInterrupt,
      lab,
      inherentWaitMs: p.interrupt.workMs,
      deadlineMs: 25_000,
      run: (ctx) => runInterrupt(ctx, p.interrupt),
    }),
    kit.scenario({
      id: 'deadline',
      title: m.scDeadline,
      lab,
      inherentWaitMs: p.deadline.leadMs + p.deadline.shutdownTimeoutMs!,
      deadlineMs: 25_000,
      run: (ctx) => runDeadline(ctx, p.deadline),
    }),
    kit.scenario({
      id: 'deadline-default',
      title: m.scDeadlineDefault,
      lab,
      inherentWaitMs: p.defaultDeadline.leadMs + defaultShutdownTimeoutMs,
      deadlineMs: 25_000,
      run: (ctx) => runDeadline(ctx, p.defaultDeadline),
    }),
  ];
}
