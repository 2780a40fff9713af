/**
 * idle-timeout (Part 10, "Idle / socket timeout"): a connection whose peer is
 * gone stays quiet forever; the learner's socket closes itself once nothing
 * has crossed it for idleMs, and only then. Graded from the router's trace of
 * the flow (every segment, with its payload size and time: LabSpec.watch), what
 * the peer received, and when the learner's process exited — never from what
 * the learner's process says about its socket.
 *
 *   Every scenario starts with the same round trip: drawn bytes written, echoed by the peer.
 *   silent       one round trip, then nobody writes: closed idleMs after the echo
 *   heartbeat    one round trip, then the peer writes drawn bytes every ~idleMs/5 for 3 idle periods: kept open
 *   own-writes   one round trip, then the learner side writes every ~idleMs/5 and the peer only reads: kept open
 *   blackhole    one round trip, then the router drops the flow both ways: closed idleMs after
 *                the echo (the FIN dies at the router) and the socket released
 *   peer-closes  one round trip (the socket carries data), then the peer ends the connection
 *                normally: the process exits at once
 */
import { nowMs, sleep } from '../../../harness/clock.ts';
import type { AgentEvent } from '../../../harness/process.ts';
import type { WireEvent } from '../../../harness/wire.ts';
import { errorSummaryText, ms } from '../../evidence.ts';
import { bootRunner, describeProcessText, eventOf, exerciseKit, fail, observe, pass, startPeer, type ProcessRecord } from '../../kit/index.ts';
import type { ExerciseDef, Scenario, ScenarioContext, Verdict } from '../../types.ts';
import type { Draws } from '../../draws.ts';
import type { Localized } from '../../i18n.ts';
import { m } from './messages.ts';
import type { RunnerConfig } from './runner.ts';
import type { IdlePeerConfig } from './peer.ts';

/**
 * What each run draws (grader/draws.ts), so no constant of this file can be
 * special-cased: the ports (distinct), idleMs of every scenario, which quiet
 * scenario gets the short idleMs, the pause before the first write, the
 * heartbeat and write intervals (as a percentage of idleMs: at most a quarter,
 * so a timer of idleMs/2 still lets them through), and the bytes written,
 * heartbeats included (content and length).
 */
export const ranges = {
  port: [20000, 60000],
  /**
   * Silent and blackholed flows: one of them (drawn) gets a short idleMs, the
   * other a long one. The ranges lie further apart than the late limit plus
   * the early tolerance and the router's stamp lag (~200 ms), so no fixed
   * timeout is on time for both: 700 + lateLimitMs = 1300 < 1600 - 104 - 190.
   */
  shortQuietIdleMs: [550, 700],
  longQuietIdleMs: [1600, 1800],
  /**
   * The first write comes this share (%) of idleMs after the promise resolved
   * (every scenario but peer-closes, from the same range, so the first
   * exchange tells no scenario from another): a timer started at connect and
   * never restarted fires a fifth or more of idleMs too early. Well short of
   * half, so a timer of idleMs/2 set at connect still lets the first write out.
   */
  firstWritePercent: [20, 35],
  /** Heartbeat and own-writes scenarios: kept open for 3 idle periods. */
  busyIdleMs: [600, 900],
  /** Interval of heartbeats and of the learner side's writes, % of idleMs (the contract allows up to 33). */
  intervalPercent: [18, 25],
  /** Long, so a timer of this length left behind holds the process far past the linger limit. */
  peerClosesIdleMs: [3000, 6000],
  /** The peer ends the connection this long after the first bytes arrived. */
  peerEndAfterMs: [100, 400],
  /** Length of the heartbeat, drawn bytes with nothing fixed in them. */
  heartbeatBytes: [3, 24],
} as const;

/** How many idle periods the heartbeats and the writes last. */
const keptOpenPeriods = 3;

/**
 * How far short of idleMs the quiet before a close may fall and still count
 * as idleMs: the most it can have been (see `Silence`) is never short of it for
 * a correct timer, save the millisecond rounding of Node's and libuv's clocks.
 * Measured (netns, one core spinning, load average 8, 10 grades): the
 * reference's close came 4–32 ms after idleMs by that bound — while the gap
 * between the router's own stamps ran from 216 ms short to 41 ms over, a
 * late stamp of the last data. Mutants that close early are idleMs/3 or more short.
 */
const earlyToleranceMs = (idleMs: number): number => 40 + Math.round(idleMs * 0.04);
/** "Soon after": a close later than idleMs + this, after the last data, is late. */
const lateLimitMs = 600;
/** After its socket closed, a process that holds nothing exits at once; this much later counts as held open. */
const lingerLimitMs = 1500;

type ScenarioId = 'silent' | 'heartbeat' | 'own-writes' | 'blackhole' | 'peer-closes';

type PeerConfig = IdlePeerConfig;

/** Everything one scenario left behind. */
export interface IdleEvidence {
  scenario: ScenarioId;
  idleMs: number;
  port: number;
  learnerAddress: string;
  peerAddress: string;
  /** The first write's bytes, as drawn: only a peer that received them proves the socket carried data. */
  payload: string;
  runner: RunnerConfig;
  peer: PeerConfig;
  /**
   * The learner's process: the runner's records (what the promise did, never
   * evidence of the socket's timing), how it ended (exit null: still running
   * at the end of the watch, then left to the lab's close, unseen), and the
   * router's trace up to the end of the watch.
   */
  learner: ProcessRecord;
  /** When the watch ended (grader's clock). */
  watchEnd: number;
  /** What the peer recorded: accepts, data, heartbeats, end, close. */
  peerEvents: AgentEvent[];
  /** When the blackhole was in force (blackhole scenario). */
  faultAt?: number;
}

interface Plan {
  scenario: ScenarioId;
  runner: RunnerConfig;
  peer: PeerConfig;
}

const blackholeFault = 'blackhole';

async function runPlan(ctx: ScenarioContext, plan: Plan): Promise<IdleEvidence> {
  const { lab } = ctx;
  const { runner: cfg, peer: peerCfg } = plan;
  const runner = bootRunner(ctx, { wallMs: 25_000 });
  const peer = await startPeer(ctx, 'server', { config: peerCfg, ready: 'listening' });
  const learner = await runner.start(cfg);
  let faultAt: number | undefined;
  const firstBytes = (slackMs: number) => learner.waitFor('wrote', cfg.firstWriteAfterMs + slackMs);
  switch (plan.scenario) {
    case 'silent':
    case 'peer-closes': {
      // The process holds nothing of ours after the echo: it exits when the learner's socket and timers let it.
      await learner.waitFor('done', cfg.firstWriteAfterMs + 6000);
      const extra = plan.scenario === 'silent' ? cfg.idleMs + lateLimitMs + 1000 : (peerCfg.endAfterMs ?? 0) + lingerLimitMs + 1000;
      await learner.waitExit(extra);
      break;
    }
    case 'heartbeat': {
      if (!(await learner.waitFor('echoed', cfg.firstWriteAfterMs + 6000))) break;
      const hb = peerCfg.heartbeat!;
      // Until the last heartbeat went out, or the learner's process ended (its socket closed early).
      await Promise.race([peer.waitFor('heartbeat', hb.everyMs * hb.count + 3000, (e) => Number(e.n) >= hb.count), learner.exited]);
      // A close that the last heartbeat provoked would come now.
      await sleep(200);
      break;
    }
    case 'own-writes': {
      if (!(await firstBytes(6000))) break;
      const w = cfg.writes!;
      const expected = cfg.payload.length + w.count * w.text.length;
      await Promise.race([peer.waitFor('data', w.everyMs * w.count + 3000, (e) => Number(e.total) >= expected), learner.exited]);
      await sleep(200);
      break;
    }
    case 'blackhole': {
      const echoed = await learner.waitFor('echoed', cfg.firstWriteAfterMs + 6000);
      if (echoed) {
        await lab.addFault({ id: blackholeFault, kind: 'drop', match: { peer: 'server', proto: 'tcp' } });
        faultAt = nowMs();
        await learner.waitExit(cfg.idleMs + lateLimitMs + lingerLimitMs + 500);
      }
      break;
    }
  }
  // Every packet so far is in the trace before the watch ends. The process is left running: stopped now, its socket's
  // close would join the trace; the lab's close stops it, unseen.
  const record = await observe(lab, learner, { keepRunning: true });
  const watchEnd = nowMs();
  return {
    scenario: plan.scenario,
    idleMs: cfg.idleMs,
    port: peerCfg.port,
    learnerAddress: lab.addresses.learner,
    peerAddress: lab.addresses.peers.server!,
    payload: cfg.payload,
    runner: cfg,
    peer: peerCfg,
    learner: record,
    watchEnd,
    peerEvents: [...peer.events],
    faultAt,
  };
}

type Evidence = Record<ScenarioId, IdleEvidence>;
const kit = exerciseKit<Evidence>();

function scenarios(draws: Draws): Scenario<IdleEvidence>[] {
  const [silentPort, heartbeatPort, writesPort, blackholePort, closesPort] = draws.distinct('ports', 5, ...ranges.port);
  // The same shape in every scenario: nothing in the first write names it.
  const token = (name: string): string => `${draws.int(`${name}.token`, 100000, 999999)}\n`;
  const firstWrite = (name: string, idleMs: number) => Math.round((idleMs * draws.int(`${name}.firstWritePercent`, ...ranges.firstWritePercent)) / 100);
  const shortQuiet = draws.pick('quiet.short', ['silent', 'blackhole'] as const);
  const quiet = (name: 'silent' | 'blackhole') => {
    const [lo, hi] = name === shortQuiet ? ranges.shortQuietIdleMs : ranges.longQuietIdleMs;
    const idleMs = draws.int(`${name}.idleMs`, lo, hi);
    return { idleMs, firstWriteAfterMs: firstWrite(name, idleMs) };
  };
  const busy = (name: string) => {
    const idleMs = draws.int(`${name}.idleMs`, ...ranges.busyIdleMs);
    const everyMs = Math.round((idleMs * draws.int(`${name}.intervalPercent`, ...ranges.intervalPercent)) / 100);
    return { idleMs, everyMs, count: Math.ceil((keptOpenPeriods * idleMs) / everyMs), firstWriteAfterMs: firstWrite(name, idleMs) };
  };
  /** Drawn bytes (printable ASCII, no newline) of a drawn length: nothing in a heartbeat is recognisable. */
  const noise = (name: string): string => {
    const n = draws.int(`${name}.length`, ...ranges.heartbeatBytes);
    const d = draws.fork(name);
    let text = '';
    for (let i = 0; i < n; i++) text += String.fromCharCode(33 + Math.floor(d.next() * 94));
    return text;
  };
  // Drawn here, not when a scenario runs: scenarios run at once, in any order, and a seed must give the same values.
  const silent = quiet('silent');
  const blackhole = quiet('blackhole');
  const heartbeat = busy('heartbeat');
  const writes = busy('own-writes');
  const closesIdleMs = draws.int('peer-closes.idleMs', ...ranges.peerClosesIdleMs);
  const endAfterMs = draws.int('peer-closes.endAfterMs', ...ranges.peerEndAfterMs);
  const payloads = {
    silent: token('hello'),
    heartbeat: token('hi'),
    writes: token('first'),
    blackhole: token('last-words'),
    closes: token('bye'),
  };
  const beat = noise('heartbeat.text');
  const more = token('more');
  const cfg = (port: number, idleMs: number, payload: string, over: Partial<RunnerConfig> = {}): RunnerConfig => ({
    host: '',
    port,
    idleMs,
    firstWriteAfterMs: 0,
    payload,
    awaitEcho: false,
    ...over,
  });
  const lab = (port: number): Scenario['lab'] => ({ peers: ['server'], watch: [{ peer: 'server', port }] });
  const plans: Array<{ title: Localized; wait: number; plan: Plan }> = [
    {
      title: m.scSilent,
      wait: silent.firstWriteAfterMs + silent.idleMs,
      plan: {
        scenario: 'silent',
        runner: cfg(silentPort!, silent.idleMs, payloads.silent, { firstWriteAfterMs: silent.firstWriteAfterMs, awaitEcho: true }),
        peer: { port: silentPort!, echoBytes: payloads.silent.length, after: 'echo' },
      },
    },
    {
      title: m.scHeartbeat({ everyMs: heartbeat.everyMs, periods: keptOpenPeriods }),
      wait: heartbeat.firstWriteAfterMs + heartbeat.everyMs * heartbeat.count,
      plan: {
        scenario: 'heartbeat',
        runner: cfg(heartbeatPort!, heartbeat.idleMs, payloads.heartbeat, { firstWriteAfterMs: heartbeat.firstWriteAfterMs, awaitEcho: true }),
        peer: {
          port: heartbeatPort!,
          echoBytes: payloads.heartbeat.length,
          after: 'sink',
          heartbeat: { everyMs: heartbeat.everyMs, count: heartbeat.count, text: beat },
        },
      },
    },
    {
      title: m.scOwnWrites(writes.everyMs),
      wait: writes.firstWriteAfterMs + writes.everyMs * writes.count,
      plan: {
        scenario: 'own-writes',
        runner: cfg(writesPort!, writes.idleMs, payloads.writes, {
          firstWriteAfterMs: writes.firstWriteAfterMs,
          awaitEcho: true,
          writes: { everyMs: writes.everyMs, count: writes.count, text: more },
        }),
        peer: { port: writesPort!, echoBytes: payloads.writes.length, after: 'sink' },
      },
    },
    {
      title: m.scBlackhole,
      wait: blackhole.firstWriteAfterMs + blackhole.idleMs,
      plan: {
        scenario: 'blackhole',
        runner: cfg(blackholePort!, blackhole.idleMs, payloads.blackhole, { firstWriteAfterMs: blackhole.firstWriteAfterMs, awaitEcho: true }),
        peer: { port: blackholePort!, echoBytes: payloads.blackhole.length, after: 'echo' },
      },
    },
    {
      title: m.scPeerCloses,
      wait: endAfterMs,
      plan: {
        scenario: 'peer-closes',
        runner: cfg(closesPort!, closesIdleMs, payloads.closes, { awaitEcho: true }),
        peer: { port: closesPort!, echoBytes: payloads.closes.length, after: 'echo', endAfterMs },
      },
    },
  ];
  return plans.map(({ title, wait, plan }) =>
    kit.scenario({
      id: plan.scenario,
      title,
      lab: lab(plan.peer.port),
      inherentWaitMs: wait,
      deadlineMs: 40_000,
      run: (ctx) => runPlan(ctx, { ...plan, runner: { ...plan.runner, host: ctx.lab.addresses.peers.server! } }),
    }),
  );
}

// ── Reading the evidence ────────────────────────────────────────────────────

const event = (ev: IdleEvidence, type: string): AgentEvent | undefined => eventOf(ev.learner, type);
const plainAddress = (a: unknown): string => String(a ?? '').replace(/^::ffff:/, '');

/** What the call did, in a phrase, for failure messages. */
function outcome(ev: IdleEvidence): Localized {
  if (event(ev, 'missing-export') || event(ev, 'crash')) return describeProcessText(ev.learner)!;
  const rej = event(ev, 'rejected');
  if (rej) return m.rejectedWith(errorSummaryText(rej.error));
  const res = event(ev, 'resolved');
  if (res && !res.isSocket) return m.resolvedNotSocket;
  if (res) return m.resolved;
  const exit = ev.learner.exit;
  if (exit && !exit.killedByHarness && exit.code !== 0) return describeProcessText(ev.learner)!;
  return m.neverSettled;
}

/** The learner's connection as the peer saw it: the accepted connection that delivered the drawn bytes. */
interface Flow {
  /** The learner's local port: with the service port, it names the flow on the wire. */
  localPort: number;
  id: unknown;
}

type FlowFinding = { flow: Flow } | { problem: Localized };

function findFlow(ev: IdleEvidence): FlowFinding {
  const accepts = ev.peerEvents.filter((e) => e.type === 'accept' && plainAddress(e.remote) === ev.learnerAddress);
  if (accepts.length === 0) {
    return {
      problem: m.noConnection({ outcome: outcome(ev), port: ev.port }),
    };
  }
  for (const a of accepts) {
    const text = ev.peerEvents
      .filter((e) => e.type === 'data' && e.id === a.id)
      .map((e) => String(e.text ?? ''))
      .join('');
    if (text.includes(ev.payload)) return { flow: { localPort: Number(a.remotePort), id: a.id } };
  }
  // Cut before our first write (it waits a share of idleMs): a timer that fires early does this.
  const f: Flow = { localPort: Number(accepts[0]!.remotePort), id: accepts[0]!.id };
  const close = learnerClose(ev, f);
  const opened = ev.learner.wire.find((e) => fromLearner(ev, f)(e) && e.flags.includes('syn'));
  if (close && opened && ev.runner.firstWriteAfterMs > 0) {
    return {
      problem: m.cutBeforeFirstWrite({ after: ms(close.t - opened.t), firstWrite: ms(ev.runner.firstWriteAfterMs), idleMs: ms(ev.idleMs) }),
    };
  }
  return {
    problem: m.payloadNotReceived({ outcome: outcome(ev), payload: JSON.stringify(ev.payload.trim()) }),
  };
}

const isTcp = (e: WireEvent) => e.proto === 'tcp';
const fromLearner = (ev: IdleEvidence, f: Flow) => (e: WireEvent) =>
  isTcp(e) && e.src === ev.learnerAddress && e.sport === f.localPort && e.dport === ev.port;
const fromPeer = (ev: IdleEvidence, f: Flow) => (e: WireEvent) =>
  isTcp(e) && e.src === ev.peerAddress && e.sport === ev.port && e.dport === f.localPort;

/** The learner host's first FIN or RST on the flow, as the router saw it (dropped or not). */
function learnerClose(ev: IdleEvidence, f: Flow): WireEvent | undefined {
  return ev.learner.wire.find((e) => fromLearner(ev, f)(e) && (e.flags.includes('fin') || e.flags.includes('rst')));
}

/**
 * The last packet before `t` that was activity on the flow: a data segment,
 * either way, that the router let through (a segment the blackhole dropped
 * never reached the learner), or the handshake.
 */
function lastActivityBefore(ev: IdleEvidence, f: Flow, t: number): WireEvent | undefined {
  const mine = fromLearner(ev, f);
  const theirs = fromPeer(ev, f);
  let last: WireEvent | undefined;
  for (const e of ev.learner.wire) {
    if (e.t > t) break;
    if (!(mine(e) || theirs(e)) || e.verdict === 'drop') continue;
    if ((e.payload ?? 0) > 0 || e.flags.includes('syn')) last = e;
  }
  return last;
}

/** Data bytes of the flow that crossed the router from `side`, before `t`. */
function bytesCrossed(ev: IdleEvidence, f: Flow, side: 'learner' | 'peer', t: number): number {
  const of = side === 'learner' ? fromLearner(ev, f) : fromPeer(ev, f);
  return ev.learner.wire.filter((e) => of(e) && e.t <= t && e.verdict !== 'drop').reduce((n, e) => n + (e.payload ?? 0), 0);
}

const closeKind = (e: WireEvent) => (e.flags.includes('rst') ? 'RST' : 'FIN');

/**
 * The peer's records of its writes on the flow, each made just before the
 * write (an echo follows its 'data' record; a heartbeat's record precedes it):
 * a lower bound of when that data crossed the router.
 */
function peerWriteTimes(ev: IdleEvidence, f: Flow): number[] {
  return ev.peerEvents
    .filter((e) => e.id === f.id && (e.type === 'heartbeat' || (e.type === 'data' && Number(e.echoed) > 0)))
    .map((e) => e.t);
}

interface Silence {
  /** Close minus last data, both as the router's trace stamped them. */
  seen: number;
  /**
   * The most it can have been: the trace stamps a packet when the harness
   * reads the router's report, a little after it crossed, and a late stamp on
   * the last data shrinks the gap seen. When the peer sent the last data, its
   * own record of the write bounds the crossing from below.
   */
  most: number;
}

/** How long the flow had been quiet when the learner host closed it. */
function silenceBefore(ev: IdleEvidence, f: Flow, close: WireEvent): Silence | undefined {
  const last = lastActivityBefore(ev, f, close.t);
  if (!last) return undefined;
  const seen = close.t - last.t;
  if (last.src !== ev.peerAddress) return { seen, most: seen };
  const written = peerWriteTimes(ev, f).filter((t) => t <= last.t);
  return { seen, most: written.length ? close.t - Math.max(...written) : seen };
}

const closedEarly = (ev: IdleEvidence, s: Silence | undefined): boolean => !s || s.most < ev.idleMs - earlyToleranceMs(ev.idleMs);

/** Judges "closed idleMs after the last byte, not before and soon after" for a quiet flow. */
function closedOnTime(ev: IdleEvidence, f: Flow, what: Localized): Verdict | { close: WireEvent; silence: number; most: number } {
  const close = learnerClose(ev, f);
  const lastData = lastActivityBefore(ev, f, ev.watchEnd);
  if (!close) {
    const quiet = lastData ? ms(ev.watchEnd - lastData.t) : m.wholeWatch;
    return fail(m.neverClosed({ what, quiet, idleMs: ms(ev.idleMs) }));
  }
  const silence = silenceBefore(ev, f, close);
  if (closedEarly(ev, silence)) {
    return fail(m.closedEarly({ what, kind: closeKind(close), after: ms(silence?.most ?? 0), idleMs: ms(ev.idleMs) }));
  }
  if (silence!.seen > ev.idleMs + lateLimitMs) {
    return fail(m.closedLate({ what, kind: closeKind(close), silence: ms(silence!.seen), idleMs: ms(ev.idleMs) }));
  }
  return { close, silence: silence!.seen, most: silence!.most };
}

/** Judges a scenario that keeps the connection busy: any close must follow a real silence of idleMs. */
function keptOpen(ev: IdleEvidence, activity: Localized, remedy: Localized): Verdict {
  const found = findFlow(ev);
  if ('problem' in found) return fail(found.problem);
  const f = found.flow;
  const close = learnerClose(ev, f);
  const side = ev.scenario === 'heartbeat' ? 'peer' : 'learner';
  const crossed = bytesCrossed(ev, f, side, close?.t ?? ev.watchEnd);
  const opened = ev.learner.wire.find((e) => fromLearner(ev, f)(e))?.t ?? ev.watchEnd;
  if (close) {
    const silence = silenceBefore(ev, f, close);
    if (closedEarly(ev, silence)) {
      return fail(m.cutWhileBusy({ activity, kind: closeKind(close), after: ms(silence?.most ?? 0), idleMs: ms(ev.idleMs), remedy }));
    }
    // A heartbeat or a write late by most of idleMs on a busy machine: then closing was right.
    return pass(m.keptOpenThenClosed({ activity, silence: ms(silence!.seen) }));
  }
  if (crossed === 0) return fail(m.noDataWhileBusy({ outcome: outcome(ev), activity }));
  return pass(m.keptOpenOk({ activity, crossed, over: ms(ev.watchEnd - opened), idleMs: ms(ev.idleMs) }));
}

const checks = [
  kit.check({
    id: 'resolves-connected-socket',
    category: 'correctness',
    title: m.tResolves,
    points: 2,
    // Not the silent flow: its first write waits a share of idleMs, which a timer that fires early can beat.
    needs: ['peer-closes'],
    judge(e) {
      const ev = e.evidence('peer-closes');
      const resolved = event(ev, 'resolved');
      if (!resolved) return fail(m.reachableBut(outcome(ev)));
      if (!resolved.isSocket) return fail(m.notSocket);
      if (resolved.connecting) return fail(m.stillConnecting);
      const found = findFlow(ev);
      if ('problem' in found) return fail(found.problem);
      if (!event(ev, 'echoed')) return fail(m.echoNotBack);
      return pass(m.connectsOk(ev.port));
    },
  }),
  kit.check({
    id: 'closes-when-idle',
    category: 'timeouts',
    title: m.tClosesWhenIdle,
    points: 2,
    needs: ['silent'],
    judge(e) {
      const ev = e.evidence('silent');
      const found = findFlow(ev);
      if ('problem' in found) return fail(found.problem);
      const v = closedOnTime(ev, found.flow, m.whatSilent);
      if ('pass' in v) return v;
      return pass(m.silentOk({ kind: closeKind(v.close), silence: ms(v.silence), idleMs: ms(ev.idleMs) }));
    },
  }),
  kit.check({
    id: 'heartbeats-keep-open',
    category: 'correctness',
    title: m.tHeartbeats,
    points: 2,
    needs: ['heartbeat'],
    judge: (e) => {
      const ev = e.evidence('heartbeat');
      const hb = ev.peer.heartbeat!;
      return keptOpen(ev, m.activityHeartbeat({ every: ms(hb.everyMs), count: hb.count }), m.remedyHeartbeat);
    },
  }),
  kit.check({
    id: 'writes-keep-open',
    category: 'correctness',
    title: m.tWrites,
    points: 1,
    needs: ['own-writes'],
    judge: (e) => {
      const ev = e.evidence('own-writes');
      const w = ev.runner.writes!;
      return keptOpen(ev, m.activityWrites({ every: ms(w.everyMs), count: w.count }), m.remedyWrites);
    },
  }),
  kit.check({
    id: 'blackhole-ends-at-idle',
    category: 'timeouts',
    title: m.tBlackhole,
    points: 2,
    needs: ['blackhole'],
    judge(e) {
      const ev = e.evidence('blackhole');
      const found = findFlow(ev);
      if ('problem' in found) return fail(found.problem);
      if (ev.faultAt === undefined) return fail(m.neverBlackholed(outcome(ev)));
      const v = closedOnTime(ev, found.flow, m.whatBlackhole);
      if ('pass' in v) return v;
      const dropped = v.close.verdict === 'drop' ? m.droppedNote : '';
      const exit = ev.learner.exit;
      if (!exit || exit.killedByHarness || exit.t - v.close.t > lingerLimitMs) {
        const still = m.stillRunning(ms((exit?.t ?? ev.watchEnd) - v.close.t));
        return fail(m.notReleased({ kind: closeKind(v.close), silence: ms(v.silence), dropped, still }));
      }
      if (exit.code !== 0) return fail(m.closedThenEnded(outcome(ev)));
      return pass(
        m.blackholeOk({ kind: closeKind(v.close), silence: ms(v.silence), dropped, idleMs: ms(ev.idleMs), exitedAfter: ms(Math.max(0, exit.t - v.close.t)) }),
      );
    },
  }),
  kit.check({
    id: 'no-timer-after-peer-close',
    category: 'resources',
    title: m.tNoTimer,
    points: 1,
    needs: ['peer-closes'],
    judge(e) {
      const ev = e.evidence('peer-closes');
      const found = findFlow(ev);
      if ('problem' in found) return fail(found.problem);
      const f = found.flow;
      const peerFin = ev.learner.wire.find((w) => fromPeer(ev, f)(w) && w.flags.includes('fin'));
      const close = learnerClose(ev, f);
      if (close && (!peerFin || close.t < peerFin.t)) {
        return fail(m.cutBeforePeer({ order: peerFin ? m.beforePeer : m.peerNever, idleMs: ms(ev.idleMs), outcome: outcome(ev) }));
      }
      if (!peerFin) return fail(m.peerNeverClosed(outcome(ev)));
      const exit = ev.learner.exit;
      if (!exit || exit.killedByHarness || exit.t - peerFin.t > lingerLimitMs) {
        const held = m.heldUntilStopped(ms((exit?.t ?? ev.watchEnd) - peerFin.t));
        return fail(m.lingered({ held, idleMs: ms(ev.idleMs) }));
      }
      if (exit.code !== 0) return fail(m.peerClosedThenEnded(outcome(ev)));
      return pass(m.peerClosedOk(ms(Math.max(0, exit.t - peerFin.t))));
    },
  }),
];

export default {
  id: 'idle-timeout',
  title: m.title.en,
  part: m.part.en,
  vi: { title: m.title.vi, part: m.part.vi },
  kind: 'module',
  scenarios,
  checks,
  runner: new URL('./runner.ts', import.meta.url).pathname,
  peers: { server: new URL('./peer.ts', import.meta.url).pathname },
} satisfies ExerciseDef;
