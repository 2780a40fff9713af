/**
 * reconnecting-client (Part 10, "A resilient reconnecting client"): a raw TCP
 * client for a line protocol (SUB/PING up, MSG/PONG down) that stays
 * connected through a server that dies and comes back, a flow the network
 * silently blackholes, and a server that hangs up. Graded from what the
 * servers recorded (every connection and every line, with their own clocks),
 * the router's trace (SYNs, FIN/RST, data segments of the service port), the
 * runner's signed records of what the listener received, and when the process
 * exited — never from what the learner's code says about itself.
 *
 *   restart    connect, SUB the first topics, one more topic subscribed while connected, messages
 *              (one batch with two lines in one segment, one line split across two), heartbeats
 *              answered; the server is killed and stays down (refused: SYN, RST) for a drawn
 *              2.6–2.9 s, then starts again on the same port; more messages; the server hangs up
 *              twice (FIN, listener still up); then close().
 *   blackhole  connect, SUB, heartbeats answered; then the router drops this one flow both ways
 *              (matched by its ports, so the reconnect's new flow passes); the client must notice
 *              deadAfterMs after the last byte it received, and reconnect; then close().
 */
import { nowMs, sleep } from '../../../harness/clock.ts';
import type { AgentEvent, LabProcess } from '../../../harness/process.ts';
import type { WireEvent } from '../../../harness/wire.ts';
import { ms } from '../../evidence.ts';
import { bootRunner, describeProcessText, eventOf, exerciseKit, fail, observe, pass, startPeer, waitUntil, type ProcessRecord } from '../../kit/index.ts';
import type { Localized } from '../../i18n.ts';
import { m } from './messages.ts';
import type { Draws } from '../../draws.ts';
import type { ExerciseDef, Scenario, ScenarioContext, Verdict } from '../../types.ts';
import type { RunnerConfig } from './runner.ts';

/** Every value a learner could special-case is drawn per run (grader/draws.ts). */
export const ranges = {
  port: [20000, 60000],
  minDelayMs: [100, 130],
  maxDelayMs: [900, 1100],
  /**
   * Wide enough that no constant heartbeat fits the window of every draw:
   * the PINGs' median interval must lie in [0.75, 1.3] × heartbeatMs + 25 ms.
   */
  heartbeatMs: [110, 250],
  /**
   * Drawn from max(lowest, 3.5 × heartbeatMs) to highest: wider than the
   * early tolerance plus the late limit, so no constant dead timer is on time
   * for every draw.
   */
  deadAfterMs: [600, 1500],
  /** How long the first connection lives with heartbeats answered, in heartbeats. */
  liveBeats: [5, 7],
  /** How long the server stays down (refused) in the restart scenario. */
  downMs: [2600, 2900],
  /** Heartbeats answered before the blackhole. */
  blackholeAfterBeats: [2, 4],
} as const;

/** Slack for the router's stamps and a busy machine's timers. */
const lagMs = 150;
/**
 * Giving up later than deadAfterMs + heartbeatMs (a check on every beat) +
 * 3 × minDelayMs (the first reconnect delay under any jitter) + this, after
 * the last byte received, is late.
 */
const deadLateMs = 200;
/** How far short of deadAfterMs the silence may fall (clock rounding, stamps). */
const deadEarlyMs = (dead: number) => 40 + Math.round(dead * 0.04);
/**
 * The outage's largest gap between SYNs must reach 2 × minDelayMs + this.
 * Decorrelated jitter (random(min, 3 × previous)) can stay short for a whole
 * outage by chance: simulated over the drawn ranges with 60–150 ms of stamp
 * noise, it fails 2·min + 150 in about 1 run of 2800, 2·min + 100 in about 1
 * of 30 000 (full, equal and additive jitter: none in 10^5). A fixed delay
 * would need one stamp late by over min + 100 ms (≥ 200) to pass.
 */
const growthSlackMs = 100;
/** After close(), the process that holds nothing exits within this. */
const lingerLimitMs = 1500;

export interface Published {
  topic: string;
  payload: string;
}

export interface ReconnectEvidence {
  scenario: 'restart' | 'blackhole';
  port: number;
  learnerAddress: string;
  peerAddress: string;
  runner: RunnerConfig;
  /** Topics subscribed while connected: [topic, runner's time of the call]. */
  lateTopics: Array<{ topic: string; at: number }>;
  published: Published[];
  /** Every server process's records, in start order. */
  peers: AgentEvent[][];
  learner: ProcessRecord;
  killedAt?: number;
  restartedAt?: number;
  faultAt?: number;
  /** Learner local port of the blackholed flow. */
  blackholedPort?: number;
  /** Learner local ports of the connections the server hung up on. */
  droppedPorts: number[];
  closingAt?: number;
  watchEnd: number;
  /** What went wrong in the orchestration (a step that never happened): said in failures. */
  stuck?: Localized;
}

type Evidence = { restart: ReconnectEvidence; blackhole: ReconnectEvidence };
const kit = exerciseKit<Evidence>();

const plain = (a: unknown) => String(a ?? '').replace(/^::ffff:/, '');

interface Conn {
  peer: number;
  id: number;
  localPort: number;
  acceptAt: number;
  endAt?: number;
  lines: Array<{ t: number; text: string }>;
}

function connections(ev: ReconnectEvidence): Conn[] {
  const out: Conn[] = [];
  ev.peers.forEach((events, peer) => {
    const byId = new Map<number, Conn>();
    for (const e of events) {
      const id = Number(e.id);
      if (e.type === 'accept' && plain(e.remote) === ev.learnerAddress) {
        const c: Conn = { peer, id, localPort: Number(e.remotePort), acceptAt: e.t, lines: [] };
        byId.set(id, c);
        out.push(c);
      }
      const c = byId.get(id);
      if (!c) continue;
      if (e.type === 'line') c.lines.push({ t: e.t, text: String(e.text) });
      if ((e.type === 'end' || e.type === 'close') && c.endAt === undefined) c.endAt = e.t;
    }
  });
  return out.sort((a, b) => a.acceptAt - b.acceptAt);
}

const subs = (c: Conn) => new Set(c.lines.filter((l) => l.text.startsWith('SUB ')).map((l) => l.text.slice(4)));

const isSyn = (e: WireEvent) => e.proto === 'tcp' && e.flags.includes('syn') && !e.flags.includes('ack');
function learnerSyns(ev: ReconnectEvidence): WireEvent[] {
  const seen = new Set<number>();
  const out: WireEvent[] = [];
  for (const e of ev.learner.wire) {
    if (!isSyn(e) || e.src !== ev.learnerAddress || e.dport !== ev.port) continue;
    if (seen.has(e.sport!)) continue; // a retransmitted SYN is the same attempt
    seen.add(e.sport!);
    out.push(e);
  }
  return out;
}
const fromLearnerOn = (ev: ReconnectEvidence, lp: number) => (e: WireEvent) => e.proto === 'tcp' && e.src === ev.learnerAddress && e.sport === lp && e.dport === ev.port;
const fromPeerOn = (ev: ReconnectEvidence, lp: number) => (e: WireEvent) => e.proto === 'tcp' && e.src === ev.peerAddress && e.sport === ev.port && e.dport === lp;

function outcome(ev: ReconnectEvidence): Localized {
  return describeProcessText(ev.learner) ?? m.stillRunning;
}

function crashed(ev: ReconnectEvidence): Localized | null {
  const threw = eventOf(ev.learner, 'threw');
  if (threw) return m.threw(String((threw.error as { message?: unknown } | undefined)?.message ?? threw.error ?? ''));
  if (eventOf(ev.learner, 'crash') || eventOf(ev.learner, 'missing-export')) return describeProcessText(ev.learner);
  if (ev.learner.exit && (ev.closingAt === undefined || ev.learner.exit.t < ev.closingAt)) return m.beforeClose(outcome(ev));
  return null;
}

// ── Scenarios ────────────────────────────────────────────────────────────────

/**
 * Waits for a connection from the learner accepted at or after `after`, then
 * (briefly) for its SUB lines: the checks judge what they carried, the
 * scenario only needs the connection.
 */
async function waitConnection(peer: LabProcess, ev: { learnerAddress: string }, topics: string[], after: number, timeoutMs: number): Promise<boolean> {
  const accepted = () => peer.events.find((e) => e.type === 'accept' && plain(e.remote) === ev.learnerAddress && e.t >= after);
  if (!(await waitUntil(() => accepted() !== undefined, timeoutMs))) return false;
  const id = accepted()!.id;
  await waitUntil(() => {
    const got = new Set(peer.events.filter((e) => e.type === 'line' && e.id === id && String(e.text).startsWith('SUB ')).map((e) => String(e.text).slice(4)));
    return topics.every((t) => got.has(t));
  }, 600);
  return true;
}

const lastAcceptPort = (peer: LabProcess, addr: string) => {
  const a = peer.events.filter((e) => e.type === 'accept' && plain(e.remote) === addr).at(-1);
  return a ? Number(a.remotePort) : undefined;
};

interface Drawn {
  port: number;
  runner: Omit<RunnerConfig, 'host'>;
  lateTopic: string;
  messages: Published[];
  liveMs: number;
  downMs: number;
  blackholeAfterMs: number;
}

async function runRestart(ctx: ScenarioContext, d: Drawn): Promise<ReconnectEvidence> {
  const { lab } = ctx;
  const addr = lab.addresses.learner;
  const runner: RunnerConfig = { ...d.runner, host: lab.addresses.peers.server! };
  const peerCfg = { port: d.port, pong: true };
  const booted = bootRunner(ctx, { wallMs: 25_000 });
  const peers: LabProcess[] = [await startPeer(ctx, 'server', { config: peerCfg, ready: 'listening' })];
  const learner = await booted.start(runner);
  const ev: ReconnectEvidence = {
    scenario: 'restart', port: d.port, learnerAddress: addr, peerAddress: lab.addresses.peers.server!, runner,
    lateTopics: [], published: [], peers: [], learner: undefined as unknown as ProcessRecord, droppedPorts: [], watchEnd: 0,
  };
  const [m1, m2, m3, m4, m5] = d.messages as [Published, Published, Published, Published, Published];
  const line = (m: Published) => `MSG ${m.topic} ${m.payload}\n`;
  const publish = async (peer: LabProcess, ms: Published[], parts: string[], gapMs: number) => {
    const before = learner.events.filter((e) => e.type === 'message').length;
    ev.published.push(...ms);
    peer.send({ cmd: 'publish', parts, gapMs });
    await waitUntil(() => learner.events.filter((e) => e.type === 'message').length >= before + ms.length || !learner.running, 1500);
  };
  const run = async (): Promise<Localized | undefined> => {
    const p1 = peers[0]!;
    if (!(await waitConnection(p1, ev, runner.topics, 0, 5000))) return m.neverConnected;
    const connectedAt = nowMs();
    learner.send({ cmd: 'subscribe', topic: d.lateTopic });
    const sub = await learner.waitFor('subscribing', 2000);
    ev.lateTopics.push({ topic: d.lateTopic, at: sub?.t ?? nowMs() });
    await waitUntil(() => p1.events.some((e) => e.type === 'line' && e.text === `SUB ${d.lateTopic}`), 800);
    const l2 = line(m3);
    const cut = `MSG ${m3.topic} `.length + 2;
    await publish(p1, [m1, m2, m3], [line(m1) + line(m2) + l2.slice(0, cut), l2.slice(cut)], 40);
    const rest = d.liveMs - (nowMs() - connectedAt);
    if (rest > 0) await sleep(rest);
    ev.killedAt = nowMs();
    await p1.kill();
    await sleep(d.downMs);
    ev.restartedAt = nowMs();
    const p2 = await startPeer(ctx, 'server', { config: peerCfg, ready: 'listening' });
    peers.push(p2);
    const all = [...runner.topics, d.lateTopic];
    if (!(await waitConnection(p2, ev, all, 0, runner.maxDelayMs * 2 + 3000))) return m.neverAfterRestart;
    await publish(p2, [m4], [line(m4)], 0);
    for (let i = 0; i < 2; i++) {
      await sleep(150);
      const lp = lastAcceptPort(p2, addr);
      if (lp !== undefined) ev.droppedPorts.push(lp);
      const dropAt = nowMs();
      p2.send({ cmd: 'drop' });
      if (!(await waitConnection(p2, ev, all, dropAt, runner.maxDelayMs * 2 + 2000))) return m.neverAfterHangUp;
    }
    await publish(p2, [m5], [line(m5)], 0);
    await sleep(200);
    return undefined;
  };
  ev.stuck = await run();
  ev.closingAt = await closeAndWatch(learner);
  ev.learner = await observe(lab, learner, { exitWithinMs: 0 });
  ev.watchEnd = nowMs();
  ev.peers = peers.map((p) => [...p.events]);
  return ev;
}

/** close() now; the process is watched until it exits, or lingerLimitMs. Returns the runner's time of the call. */
async function closeAndWatch(learner: LabProcess): Promise<number | undefined> {
  if (!learner.running) return undefined;
  learner.send({ cmd: 'close' });
  const closing = await learner.waitFor('closing', 2000);
  await learner.waitExit(lingerLimitMs + 300);
  return closing?.t;
}

async function runBlackhole(ctx: ScenarioContext, d: Drawn): Promise<ReconnectEvidence> {
  const { lab } = ctx;
  const addr = lab.addresses.learner;
  const runner: RunnerConfig = { ...d.runner, host: lab.addresses.peers.server! };
  const booted = bootRunner(ctx, { wallMs: 25_000 });
  const peer = await startPeer(ctx, 'server', { config: { port: d.port, pong: true }, ready: 'listening' });
  const learner = await booted.start(runner);
  const ev: ReconnectEvidence = {
    scenario: 'blackhole', port: d.port, learnerAddress: addr, peerAddress: lab.addresses.peers.server!, runner,
    lateTopics: [], published: [], peers: [], learner: undefined as unknown as ProcessRecord, droppedPorts: [], watchEnd: 0,
  };
  const run = async (): Promise<Localized | undefined> => {
    if (!(await waitConnection(peer, ev, runner.topics, 0, 5000))) return m.neverConnected;
    await sleep(d.blackholeAfterMs);
    const lp = lastAcceptPort(peer, addr)!;
    ev.blackholedPort = lp;
    await lab.addFault({ id: 'blackhole-out', kind: 'drop', match: { peer: 'server', direction: 'from-learner', proto: 'tcp', port: d.port, sourcePort: lp } });
    await lab.addFault({ id: 'blackhole-in', kind: 'drop', match: { peer: 'server', direction: 'to-learner', proto: 'tcp', sourcePort: d.port, port: lp } });
    ev.faultAt = nowMs();
    const at = ev.faultAt;
    if (!(await waitConnection(peer, ev, runner.topics, at, runner.deadAfterMs + runner.heartbeatMs + runner.maxDelayMs + 3000))) return m.neverAfterBlackhole;
    await sleep(200);
    return undefined;
  };
  ev.stuck = await run();
  ev.closingAt = await closeAndWatch(learner);
  ev.learner = await observe(lab, learner, { exitWithinMs: 0 });
  ev.watchEnd = nowMs();
  ev.peers = [[...peer.events]];
  return ev;
}

function scenarios(draws: Draws): Scenario<ReconnectEvidence>[] {
  const [restartPort, blackholePort] = draws.distinct('ports', 2, ...ranges.port);
  const timings = (name: string) => {
    const heartbeatMs = draws.int(`${name}.heartbeatMs`, ...ranges.heartbeatMs);
    return {
      minDelayMs: draws.int(`${name}.minDelayMs`, ...ranges.minDelayMs),
      maxDelayMs: draws.int(`${name}.maxDelayMs`, ...ranges.maxDelayMs),
      heartbeatMs,
      deadAfterMs: draws.int(`${name}.deadAfterMs`, Math.max(ranges.deadAfterMs[0], Math.ceil(3.5 * heartbeatMs)), ranges.deadAfterMs[1]),
    };
  };
  const words = ['news', 'prices', 'alerts', 'chat', 'metrics', 'orders', 'logs', 'scores'];
  const topic = (key: string) => `${draws.pick(`${key}.word`, words)}.${draws.int(`${key}.n`, 100, 999)}`;
  const payload = (key: string) => `${draws.int(`${key}.a`, 1000, 9999)}-${draws.int(`${key}.b`, 100000, 999999)}`;
  const rt = timings('restart');
  const restartTopics = [topic('restart.t1'), topic('restart.t2')];
  let late = topic('restart.late');
  while (restartTopics.includes(late)) late += 'x';
  const all = [...restartTopics, late];
  const pickTopic = (key: string) => all[draws.int(key, 0, all.length - 1)]!;
  const restart: Drawn = {
    port: restartPort!,
    runner: { port: restartPort!, ...rt, topics: restartTopics },
    lateTopic: late,
    messages: [
      { topic: restartTopics[0]!, payload: payload('m1') },
      { topic: late, payload: payload('m2') },
      { topic: restartTopics[1]!, payload: payload('m3') },
      { topic: pickTopic('m4.topic'), payload: payload('m4') },
      { topic: pickTopic('m5.topic'), payload: payload('m5') },
    ],
    liveMs: rt.heartbeatMs * draws.int('restart.liveBeats', ...ranges.liveBeats),
    downMs: draws.int('restart.downMs', ...ranges.downMs),
    blackholeAfterMs: 0,
  };
  const bt = timings('blackhole');
  const blackhole: Drawn = {
    port: blackholePort!,
    runner: { port: blackholePort!, ...bt, topics: [topic('blackhole.t')] },
    lateTopic: '',
    messages: [],
    liveMs: 0,
    downMs: 0,
    blackholeAfterMs: bt.heartbeatMs * draws.int('blackhole.beats', ...ranges.blackholeAfterBeats) + 30,
  };
  return [
    kit.scenario({
      id: 'restart',
      title: m.scRestart,
      lab: { peers: ['server'], watch: [{ peer: 'server', port: restart.port }] },
      inherentWaitMs: restart.liveMs + restart.downMs + rt.maxDelayMs + 2 * (150 + rt.minDelayMs) + 200,
      deadlineMs: 40_000,
      run: (ctx) => runRestart(ctx, restart),
    }),
    kit.scenario({
      id: 'blackhole',
      title: m.scBlackhole,
      lab: { peers: ['server'], watch: [{ peer: 'server', port: blackhole.port }] },
      inherentWaitMs: blackhole.blackholeAfterMs + bt.deadAfterMs + bt.minDelayMs + 200,
      deadlineMs: 40_000,
      run: (ctx) => runBlackhole(ctx, blackhole),
    }),
  ];
}

// ── Checks ───────────────────────────────────────────────────────────────────

function firstConn(ev: ReconnectEvidence): Conn | undefined {
  return connections(ev).find((c) => c.peer === 0);
}

const gateCrash = (ev: ReconnectEvidence): Verdict | null => {
  const c = crashed(ev);
  if (!c) return null;
  const said = { scenario: ev.scenario, what: c };
  return fail(eventOf(ev.learner, 'crash') ? m.crashInListen(said) : m.crashIn(said));
};

const checks = [
  kit.check({
    id: 'subscribes-on-connect',
    category: 'correctness',
    title: m.tSubscribesOnConnect,
    points: 2,
    needs: ['restart', 'blackhole'],
    judge(e) {
      for (const ev of [e.evidence('restart'), e.evidence('blackhole')]) {
        const c = firstConn(ev);
        if (!c) return fail(m.noFirstConnection({ port: ev.port, outcome: outcome(ev) }));
        const started = ev.learner.startedAt;
        const got = subs(c);
        const missing = ev.runner.topics.filter((t) => !got.has(t));
        if (missing.length) {
          return fail(m.firstMissing({ sent: got.size ? [...got].map((t) => `SUB ${t}`).join(', ') : m.noSubLine, missing: missing.join(', ') }));
        }
        if (c.acceptAt - started > 5000) return fail(m.firstLate(ms(c.acceptAt - started)));
      }
      return pass(m.subscribesOk);
    },
  }),
  kit.check({
    id: 'subscribe-while-connected',
    category: 'correctness',
    title: m.tSubscribeWhileConnected,
    points: 1,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      const late = ev.lateTopics[0];
      const c = firstConn(ev);
      if (!late || !c) return fail(m.stuckWith({ what: ev.stuck ?? m.noConnection, outcome: outcome(ev) }));
      const l = c.lines.find((x) => x.text === `SUB ${late.topic}`);
      if (!l) {
        return fail(m.lateNotSent({ topic: late.topic, lived: ms((c.endAt ?? ev.watchEnd) - late.at) }));
      }
      return pass(m.lateOk({ topic: late.topic, after: ms(Math.max(0, l.t - late.at)) }));
    },
  }),
  kit.check({
    id: 'resubscribes-after-reconnect',
    category: 'correctness',
    title: m.tResubscribes,
    points: 2,
    needs: ['restart', 'blackhole'],
    judge(e) {
      let n = 0;
      for (const ev of [e.evidence('restart'), e.evidence('blackhole')]) {
        const conns = connections(ev);
        const later = conns.slice(1);
        for (const c of later) {
          const before = [...ev.runner.topics, ...ev.lateTopics.filter((l) => l.at <= c.acceptAt).map((l) => l.topic)];
          const got = subs(c);
          const missing = before.filter((t) => !got.has(t));
          const shortLived = c.lines.length === 0 && c.endAt !== undefined && c.endAt - c.acceptAt < 150;
          if (missing.length && !shortLived) {
            return fail(
              m.resubMissing({ scenario: ev.scenario, port: c.localPort, sent: got.size ? [...got].map((t) => `SUB ${t}`).join(', ') : m.noSubLine, missing: missing.join(', ') }),
            );
          }
          n++;
        }
      }
      if (n === 0) return fail(m.neverReconnected(e.evidence('restart').stuck ?? outcome(e.evidence('restart'))));
      return pass(m.resubOk(n));
    },
  }),
  kit.check({
    id: 'delivers-messages',
    category: 'correctness',
    title: m.tDelivers,
    points: 2,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      if (ev.published.length === 0) return fail(m.noPublish(ev.stuck ?? outcome(ev)));
      const got = ev.learner.events.filter((x) => x.type === 'message').map((x) => ({ topic: String(x.topic), payload: String(x.payload) }));
      const key = (m: Published) => `${m.topic} ${m.payload}`;
      const gotKeys = new Set(got.map(key));
      const missing = ev.published.filter((m) => !gotKeys.has(key(m)));
      const sent = new Set(ev.published.map(key));
      const junk = got.filter((m) => !sent.has(key(m)));
      if (junk.length) {
        return fail(m.junk(junk.slice(0, 3).map((x) => JSON.stringify([x.topic, x.payload])).join(', ')));
      }
      if (missing.length) {
        return fail(m.missingMessages({ count: ev.published.length, list: missing.map((x) => JSON.stringify([x.topic, x.payload])).join(', ') }));
      }
      return pass(m.deliversOk(ev.published.length));
    },
  }),
  kit.check({
    id: 'heartbeats',
    category: 'timeouts',
    title: m.tHeartbeats,
    points: 2,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      const c = firstConn(ev);
      const h = ev.runner.heartbeatMs;
      if (!c) return fail(m.noConnToJudge(outcome(ev)));
      const pings = c.lines.filter((l) => l.text === 'PING').map((l) => l.t);
      const end = c.endAt ?? ev.killedAt ?? ev.watchEnd;
      const span = end - c.acceptAt;
      const expected = Math.floor(span / h);
      if (pings.length < Math.max(2, Math.floor(expected * 0.5))) {
        return fail(m.fewPings({ span: ms(span), h: ms(h), count: pings.length }));
      }
      if (pings.length > expected * 2 + 3) return fail(m.manyPings({ count: pings.length, span: ms(span), h: ms(h) }));
      const gaps = pings.slice(1).map((t, i) => t - pings[i]!).sort((a, b) => a - b);
      const med = gaps[Math.floor(gaps.length / 2)]!;
      if (med < h * 0.75 || med > h * 1.3 + 25) return fail(m.pingGap({ med: ms(med), h: ms(h) }));
      return pass(m.pingsOk({ count: pings.length, span: ms(span), med: ms(med), h: ms(h) }));
    },
  }),
  kit.check({
    id: 'dead-connection-detected',
    category: 'timeouts',
    title: m.tDeadDetected,
    points: 2,
    needs: ['blackhole'],
    judge(e) {
      const ev = e.evidence('blackhole');
      const g = gateCrash(ev);
      if (g) return g;
      const lp = ev.blackholedPort;
      if (lp === undefined || ev.faultAt === undefined) return fail(m.neverBlackholed(ev.stuck ?? outcome(ev)));
      const dead = ev.runner.deadAfterMs;
      const wire = ev.learner.wire;
      const lastIn = wire.filter((w) => fromPeerOn(ev, lp)(w) && w.verdict !== 'drop' && ((w.payload ?? 0) > 0 || w.flags.includes('syn'))).at(-1);
      const close = wire.find((w) => fromLearnerOn(ev, lp)(w) && w.t >= ev.faultAt! - lagMs && (w.flags.includes('fin') || w.flags.includes('rst')));
      const syn = learnerSyns(ev).find((w) => w.sport !== lp && w.t >= ev.faultAt! - lagMs);
      const noticed = [close?.t, syn?.t].filter((t): t is number => t !== undefined);
      if (!lastIn) return fail(m.noDataBefore(outcome(ev)));
      if (noticed.length === 0) {
        return fail(m.neverNoticed({ later: ms(ev.watchEnd - lastIn.t), dead: ms(dead) }));
      }
      const at = Math.min(...noticed);
      // The server's own record of its last write bounds the last byte's crossing from below.
      const pongs = (ev.peers[0] ?? []).filter((p) => p.type === 'pong' && p.t <= lastIn.t + 5).map((p) => p.t);
      const most = pongs.length ? at - Math.max(...pongs) : at - lastIn.t;
      const seen = at - lastIn.t;
      if (most < dead - deadEarlyMs(dead)) {
        return fail(m.gaveUpEarly({ after: ms(most), dead: ms(dead) }));
      }
      if (seen > dead + ev.runner.heartbeatMs + 3 * ev.runner.minDelayMs + deadLateMs) {
        return fail(m.gaveUpLate({ after: ms(seen), dead: ms(dead) }));
      }
      const conns = connections(ev).filter((c) => c.acceptAt > ev.faultAt!);
      if (conns.length === 0) return fail(m.noReconnectAfterDead(ms(seen)));
      return pass(m.deadOk({ after: ms(seen), dead: ms(dead) }));
    },
  }),
  kit.check({
    id: 'backoff-grows-capped',
    category: 'backoff',
    title: m.tBackoffGrows,
    points: 2,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      const g = gateCrash(ev);
      if (g) return g;
      if (ev.killedAt === undefined || ev.restartedAt === undefined) return fail(m.neverKilled(ev.stuck ?? outcome(ev)));
      const { minDelayMs: min, maxDelayMs: max } = ev.runner;
      const syns = learnerSyns(ev).filter((s) => s.t > ev.killedAt!);
      const down = syns.filter((s) => s.t <= ev.restartedAt!);
      if (down.length < 2) {
        return fail(m.fewAttempts({ down: ms(ev.restartedAt - ev.killedAt), tries: down.length }));
      }
      const upto = syns.slice(0, down.length + 1);
      const gaps = upto.slice(1).map((s, i) => s.t - upto[i]!.t);
      const biggest = Math.max(...gaps);
      const list = gaps.map((x) => Math.round(x)).join(', ');
      if (biggest < 2 * min + growthSlackMs) {
        return fail(m.noGrowth({ down: ms(ev.restartedAt - ev.killedAt), attempts: down.length, biggest: ms(biggest), min: ms(min), gaps: list }));
      }
      if (biggest > max * 1.3 + 2 * lagMs) {
        return fail(m.overCap({ biggest: ms(biggest), max: ms(max), gaps: list }));
      }
      return pass(m.backoffOk({ attempts: down.length, gaps: list, min: ms(min), max: ms(max) }));
    },
  }),
  kit.check({
    id: 'backoff-resets',
    category: 'backoff',
    title: m.tBackoffResets,
    points: 2,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      const g = gateCrash(ev);
      if (g) return g;
      if (ev.droppedPorts.length < 2) return fail(m.neverHungUpTwice(ev.stuck ?? outcome(ev)));
      const min = ev.runner.minDelayMs;
      const bound = 3 * min + 2 * lagMs + 50;
      const waits: number[] = [];
      for (const lp of ev.droppedPorts) {
        const fin = ev.learner.wire.find((w) => fromPeerOn(ev, lp)(w) && w.flags.includes('fin'));
        if (!fin) return fail(m.noPeerFin(lp));
        const next = learnerSyns(ev).find((s) => s.t > fin.t - 5 && s.sport !== lp);
        if (!next) return fail(m.noReconnectAfterHangUp);
        waits.push(next.t - fin.t);
      }
      const worst = Math.max(...waits);
      if (worst > bound) {
        return fail(m.noReset({ waits: m.both(waits.map((w) => ms(w))), min: ms(min), max: ms(ev.runner.maxDelayMs) }));
      }
      return pass(m.resetOk({ waits: m.both(waits.map((w) => ms(w))), min: ms(min) }));
    },
  }),
  kit.check({
    id: 'one-connection-at-a-time',
    category: 'resources',
    title: m.tOneConnection,
    points: 2,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      const end = new Map<number, number>();
      const wire = ev.learner.wire;
      for (const w of wire) {
        if (w.proto !== 'tcp') continue;
        let lp: number | undefined;
        if (w.src === ev.learnerAddress && w.dport === ev.port && (w.flags.includes('fin') || w.flags.includes('rst'))) lp = w.sport;
        if (w.src === ev.peerAddress && w.sport === ev.port && w.flags.includes('rst')) lp = w.dport;
        if (lp !== undefined && !end.has(lp)) end.set(lp, w.t);
      }
      const syns = learnerSyns(ev);
      if (connections(ev).length < 2) return fail(m.neverReconnectedRestart(ev.stuck ?? outcome(ev)));
      for (const s of syns) {
        const open = syns.filter((o) => o.t < s.t && o.sport !== s.sport && (end.get(o.sport!) ?? Infinity) > s.t);
        if (open.length) {
          return fail(m.openedWhileOpen({ port: s.sport!, other: open[0]!.sport! }));
        }
      }
      const conns = connections(ev);
      for (const c of conns) {
        const other = conns.find((o) => o !== c && o.peer === c.peer && o.acceptAt < c.acceptAt && (o.endAt ?? Infinity) > c.acceptAt + 50);
        if (other) return fail(m.twoOpen({ a: other.localPort, b: c.localPort }));
      }
      return pass(m.oneOk(syns.length));
    },
  }),
  kit.check({
    id: 'survives-socket-errors',
    category: 'error-handling',
    title: m.tSurvives,
    points: 2,
    needs: ['restart', 'blackhole'],
    judge(e) {
      for (const ev of [e.evidence('restart'), e.evidence('blackhole')]) {
        const g = gateCrash(ev);
        if (g) return g;
      }
      const ev = e.evidence('restart');
      const refused = learnerSyns(ev).filter((s) => ev.killedAt !== undefined && s.t > ev.killedAt && s.t < (ev.restartedAt ?? 0)).length;
      return pass(m.survivesOk(refused));
    },
  }),
  kit.check({
    id: 'close-stops-everything',
    category: 'shutdown',
    title: m.tCloseStops,
    points: 2,
    needs: ['restart', 'blackhole'],
    judge(e) {
      for (const ev of [e.evidence('restart'), e.evidence('blackhole')]) {
        if (ev.closingAt === undefined) return fail(m.closeNeverCalled({ scenario: ev.scenario, why: crashed(ev) ?? ev.stuck ?? outcome(ev) }));
        const after = learnerSyns(ev).filter((s) => s.t > ev.closingAt! + 30);
        if (after.length) {
          return fail(m.synAfterClose({ count: after.length, first: ms(after[0]!.t - ev.closingAt) }));
        }
        // The blackholed flow's FIN may wait behind unacknowledged PINGs in the kernel's queue: not judged here.
        const conns = connections(ev).filter((c) => c.localPort !== ev.blackholedPort);
        const last = conns.at(-1);
        if (!last) continue;
        const fin = ev.learner.wire.find((w) => fromLearnerOn(ev, last.localPort)(w) && w.t >= ev.closingAt! - lagMs && (w.flags.includes('fin') || w.flags.includes('rst')));
        if (!fin) return fail(m.noFinOnClose(last.localPort));
      }
      return pass(m.closeOk);
    },
  }),
  kit.check({
    id: 'close-lets-exit',
    category: 'resources',
    title: m.tCloseLetsExit,
    points: 1,
    needs: ['restart', 'blackhole'],
    judge(e) {
      for (const ev of [e.evidence('restart'), e.evidence('blackhole')]) {
        if (ev.closingAt === undefined) return fail(m.closeNeverCalled({ scenario: ev.scenario, why: crashed(ev) ?? ev.stuck ?? outcome(ev) }));
        const exit = ev.learner.exit;
        if (!exit || exit.killedByHarness || exit.t - ev.closingAt > lingerLimitMs) {
          return fail(m.stillAlive(ms((exit?.t ?? ev.watchEnd) - ev.closingAt)));
        }
        if (exit.code !== 0) return fail(m.exitedBadly(outcome(ev)));
      }
      return pass(m.exitOk);
    },
  }),
];

export default {
  id: 'reconnecting-client',
  title: m.title.en,
  part: m.part.en,
  vi: { title: m.title.vi, part: m.part.vi },
  kind: 'module',
  scenarios,
  checks,
  runner: new URL('./runner.ts', import.meta.url).pathname,
  peers: { server: new URL('./peer.ts', import.meta.url).pathname },
} satisfies ExerciseDef;
