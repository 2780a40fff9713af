/**
 * The scenarios of graceful-shutdown: start the learner's server, wait until a
 * peer gets an answer, put some requests in flight (and a keep-alive
 * connection at rest), send the signal, then watch from the peer and the
 * router until the process exits. Evidence only: the checks judge it.
 */
import { nowMs, sleep } from '../../../harness/clock.ts';
import type { AgentEvent, ExitInfo, LabProcess } from '../../../harness/process.ts';
import type { WireEvent } from '../../../harness/wire.ts';
import type { Scenario, ScenarioContext } from '../../types.ts';

export const clientPeerFile = new URL('../../../harness/peers/http-client.ts', import.meta.url).pathname;

/** Work and timing of the main drain scenario (SIGTERM). */
export const drain = {
  port: 8080,
  shutdownTimeoutMs: 5000,
  /** GET /work?ms=… timed before the signal, for the routes check. */
  probeWorkMs: 300,
  /** The long in-flight request: still running well after the signal. */
  longWorkMs: 1500,
  /** The in-flight request on the keep-alive connection that then sends another. */
  keepAliveWorkMs: 500,
  followPath: '/work?ms=200',
  otherPath: '/status?check=1',
  /** Requests are in the handler this long before the signal. */
  leadMs: 200,
  /** A new connection is tried this long after the signal. */
  lateConnectMs: 250,
};

/** SIGINT: one request in flight, the client closes its connection once answered. */
export const interrupt = { port: 9090, workMs: 1000, leadMs: 200 };

/** The deadline: work that outlasts SHUTDOWN_TIMEOUT_MS. */
export const deadline = { port: 7070, shutdownTimeoutMs: 1500, workMs: 6000, leadMs: 200 };

export interface RunEvidence {
  port: number;
  signal: NodeJS.Signals;
  shutdownTimeoutMs: number | null;
  ready: AgentEvent | null;
  /** Monotonic ms when the signal was sent (null: never, the server did not come up). */
  signalAt: number | null;
  /** What the peer client saw, in order. */
  client: AgentEvent[];
  exit: ExitInfo | null;
  /** The process was still running when we stopped watching, and we killed it. */
  killed: boolean;
  wire: WireEvent[];
  learnerAddress: string;
  clientAddress: string;
  stderr: string;
}

async function start(
  ctx: ScenarioContext,
  port: number,
  env: Record<string, string>,
): Promise<{ learner: LabProcess; client: LabProcess; ready: AgentEvent | null }> {
  const { lab, programs } = ctx;
  const client = await lab.startPeer('client', {
    file: programs.peers.client!,
    args: [JSON.stringify({ host: lab.addresses.learner, port })],
  });
  const learner = await lab.startLearner({ file: programs.learner, env: { PORT: String(port), ...env } }, { wallMs: 20_000 });
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

async function finish(
  ctx: ScenarioContext,
  learner: LabProcess,
  client: LabProcess,
  base: Omit<RunEvidence, 'client' | 'exit' | 'killed' | 'wire' | 'learnerAddress' | 'clientAddress' | 'stderr'>,
  watchUntil: number,
): Promise<RunEvidence> {
  let exit = await learner.waitExit(Math.max(0, watchUntil - nowMs()));
  let killed = false;
  if (!exit) {
    killed = true;
    await learner.kill();
  }
  exit = learner.exit ?? null;
  // Let the peer report what the exit did to its connections: every one it
  // opened ends now (the learner's side is gone), so wait for those closes.
  const settleBy = nowMs() + 1500;
  for (;;) {
    const opened = new Set(client.eventsOf('connected').map((e) => e.id));
    for (const e of client.eventsOf('closed')) opened.delete(e.id);
    if (opened.size === 0 || nowMs() >= settleBy || !client.running) break;
    await sleep(20);
  }
  await sleep(30);
  await ctx.lab.settleWire();
  return {
    ...base,
    client: [...client.events],
    exit: killed ? null : exit,
    killed,
    wire: [...ctx.lab.wire()],
    learnerAddress: ctx.lab.addresses.learner,
    clientAddress: ctx.lab.addresses.peers.client!,
    stderr: learner.stderr.slice(0, 2000),
  };
}

/** The server never answered: no signal is sent; the evidence says why. */
function notReady(
  ctx: ScenarioContext,
  learner: LabProcess,
  client: LabProcess,
  port: number,
  signal: NodeJS.Signals,
  shutdownTimeoutMs: number | null,
): Promise<RunEvidence> {
  return finish(ctx, learner, client, { port, signal, shutdownTimeoutMs, ready: null, signalAt: null }, nowMs());
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
async function runDrain(ctx: ScenarioContext): Promise<RunEvidence> {
  const d = drain;
  const env = { SHUTDOWN_TIMEOUT_MS: String(d.shutdownTimeoutMs) };
  const { learner, client, ready } = await start(ctx, d.port, env);
  if (!ready) return notReady(ctx, learner, client, d.port, 'SIGTERM', d.shutdownTimeoutMs);

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
  learner.signal('SIGTERM');

  await sleep(d.lateConnectMs);
  client.send({ cmd: 'open', id: 'late' });
  await opened(client, ['late']);
  const late = client.eventsOf('connected').find((e) => e.id === 'late');
  if (late) client.send({ cmd: 'request', id: 'late', path: '/' });

  const base = { port: d.port, signal: 'SIGTERM' as const, shutdownTimeoutMs: d.shutdownTimeoutMs, ready, signalAt };
  return finish(ctx, learner, client, base, signalAt + d.shutdownTimeoutMs + 1000);
}

/** SIGINT: one request in flight; its client closes the connection once answered. */
async function runInterrupt(ctx: ScenarioContext): Promise<RunEvidence> {
  const s = interrupt;
  // No SHUTDOWN_TIMEOUT_MS here: the program's default (10 s) applies.
  const { learner, client, ready } = await start(ctx, s.port, {});
  if (!ready) return notReady(ctx, learner, client, s.port, 'SIGINT', null);
  client.send({ cmd: 'open', id: 'work' });
  await opened(client, ['work']);
  client.send({ cmd: 'request', id: 'work', path: `/work?ms=${s.workMs}`, closeAfter: true });
  await sleep(s.leadMs);
  const signalAt = nowMs();
  learner.signal('SIGINT');
  const base = { port: s.port, signal: 'SIGINT' as const, shutdownTimeoutMs: null, ready, signalAt };
  return finish(ctx, learner, client, base, signalAt + s.workMs + 4500);
}

/** SIGTERM while work runs far past SHUTDOWN_TIMEOUT_MS. */
async function runDeadline(ctx: ScenarioContext): Promise<RunEvidence> {
  const s = deadline;
  const { learner, client, ready } = await start(ctx, s.port, { SHUTDOWN_TIMEOUT_MS: String(s.shutdownTimeoutMs) });
  if (!ready) return notReady(ctx, learner, client, s.port, 'SIGTERM', s.shutdownTimeoutMs);
  client.send({ cmd: 'open', id: 'work' });
  await opened(client, ['work']);
  client.send({ cmd: 'request', id: 'work', path: `/work?ms=${s.workMs}` });
  await sleep(s.leadMs);
  const signalAt = nowMs();
  learner.signal('SIGTERM');
  const base = { port: s.port, signal: 'SIGTERM' as const, shutdownTimeoutMs: s.shutdownTimeoutMs, ready, signalAt };
  return finish(ctx, learner, client, base, signalAt + s.shutdownTimeoutMs + 1500);
}

const lab = { peers: ['client'] };

export const scenarios: Scenario<RunEvidence>[] = [
  {
    id: 'drain-sigterm',
    title: 'SIGTERM with requests in flight and keep-alive connections open',
    lab,
    inherentWaitMs: drain.probeWorkMs + drain.leadMs + drain.longWorkMs,
    deadlineMs: 25_000,
    run: runDrain,
  },
  {
    id: 'drain-sigint',
    title: 'SIGINT with a request in flight',
    lab,
    inherentWaitMs: interrupt.workMs,
    deadlineMs: 25_000,
    run: runInterrupt,
  },
  {
    id: 'deadline',
    title: 'SIGTERM while work outlasts SHUTDOWN_TIMEOUT_MS',
    lab,
    inherentWaitMs: deadline.leadMs + deadline.shutdownTimeoutMs,
    deadlineMs: 25_000,
    run: runDeadline,
  },
];
