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
import { describeProcess, eventOf, exerciseKit, fail, observe, pass, runProgram, startPeer, waitUntil, type ProcessRecord } from '../../kit/index.ts';
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
  stuck?: string;
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

function outcome(ev: ReconnectEvidence): string {
  return describeProcess(ev.learner) ?? 'the process was still running';
}

function crashed(ev: ReconnectEvidence): string | null {
  const threw = eventOf(ev.learner, 'threw');
  if (threw) return `createReconnectingClient() or a method of its client threw (${String((threw.error as { message?: unknown } | undefined)?.message ?? threw.error ?? '')})`;
  if (eventOf(ev.learner, 'crash') || eventOf(ev.learner, 'missing-export')) return describeProcess(ev.learner);
  if (ev.learner.exit && (ev.closingAt === undefined || ev.learner.exit.t < ev.closingAt)) return `${outcome(ev)} before close() was called`;
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
  const peers: LabProcess[] = [await startPeer(ctx, 'server', { config: peerCfg, ready: 'listening' })];
  const learner = await runProgram(ctx, { config: runner }, { wallMs: 25_000 });
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
  const run = async (): Promise<string | undefined> => {
    const p1 = peers[0]!;
    if (!(await waitConnection(p1, ev, runner.topics, 0, 5000))) return 'your host never connected';
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
    if (!(await waitConnection(p2, ev, all, 0, runner.maxDelayMs * 2 + 3000))) return 'after the server came back, your host never connected again';
    await publish(p2, [m4], [line(m4)], 0);
    for (let i = 0; i < 2; i++) {
      await sleep(150);
      const lp = lastAcceptPort(p2, addr);
      if (lp !== undefined) ev.droppedPorts.push(lp);
      const dropAt = nowMs();
      p2.send({ cmd: 'drop' });
      if (!(await waitConnection(p2, ev, all, dropAt, runner.maxDelayMs * 2 + 2000))) return 'after the server hung up, your host never connected again';
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
  const peer = await startPeer(ctx, 'server', { config: { port: d.port, pong: true }, ready: 'listening' });
  const learner = await runProgram(ctx, { config: runner }, { wallMs: 25_000 });
  const ev: ReconnectEvidence = {
    scenario: 'blackhole', port: d.port, learnerAddress: addr, peerAddress: lab.addresses.peers.server!, runner,
    lateTopics: [], published: [], peers: [], learner: undefined as unknown as ProcessRecord, droppedPorts: [], watchEnd: 0,
  };
  const run = async (): Promise<string | undefined> => {
    if (!(await waitConnection(peer, ev, runner.topics, 0, 5000))) return 'your host never connected';
    await sleep(d.blackholeAfterMs);
    const lp = lastAcceptPort(peer, addr)!;
    ev.blackholedPort = lp;
    await lab.addFault({ id: 'blackhole-out', kind: 'drop', match: { peer: 'server', direction: 'from-learner', proto: 'tcp', port: d.port, sourcePort: lp } });
    await lab.addFault({ id: 'blackhole-in', kind: 'drop', match: { peer: 'server', direction: 'to-learner', proto: 'tcp', sourcePort: d.port, port: lp } });
    ev.faultAt = nowMs();
    const at = ev.faultAt;
    if (!(await waitConnection(peer, ev, runner.topics, at, runner.deadAfterMs + runner.heartbeatMs + runner.maxDelayMs + 3000))) return 'your host never connected again after the blackhole';
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
      title: 'the server is killed, stays down, comes back, then hangs up twice',
      lab: { peers: ['server'], watch: [{ peer: 'server', port: restart.port }] },
      inherentWaitMs: restart.liveMs + restart.downMs + rt.maxDelayMs + 2 * (150 + rt.minDelayMs) + 200,
      deadlineMs: 40_000,
      run: (ctx) => runRestart(ctx, restart),
    }),
    kit.scenario({
      id: 'blackhole',
      title: 'the router blackholes the connection mid-stream',
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
  const advice = eventOf(ev.learner, 'crash') ? " Attach an 'error' listener to every socket you create: refused and reset connections are normal here." : '';
  return fail(`in the ${ev.scenario} scenario ${c}.${advice}`);
};

const checks = [
  kit.check({
    id: 'subscribes-on-connect',
    category: 'correctness',
    title: 'connects at once and sends SUB for every topic subscribed before the connection was made',
    points: 2,
    needs: ['restart', 'blackhole'],
    judge(e) {
      for (const ev of [e.evidence('restart'), e.evidence('blackhole')]) {
        const c = firstConn(ev);
        if (!c) return fail(`the server at port ${ev.port} saw no connection from your host (${outcome(ev)}): connect with net.connect() as soon as the client is created.`);
        const started = ev.learner.startedAt;
        const got = subs(c);
        const missing = ev.runner.topics.filter((t) => !got.has(t));
        if (missing.length) {
          return fail(
            `the first connection sent ${got.size ? [...got].map((t) => `SUB ${t}`).join(', ') : 'no SUB line'}, but the topics ${missing.join(', ')} were subscribed before it connected: ` +
              `remember the topics, and on 'connect' write "SUB <topic>\\n" for each.`,
          );
        }
        if (c.acceptAt - started > 5000) return fail(`the first connection came ${ms(c.acceptAt - started)} after the process started: connect at once.`);
      }
      return pass('the first connection of each scenario sent SUB for every topic subscribed so far');
    },
  }),
  kit.check({
    id: 'subscribe-while-connected',
    category: 'correctness',
    title: 'subscribe() while connected sends SUB at once',
    points: 1,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      const late = ev.lateTopics[0];
      const c = firstConn(ev);
      if (!late || !c) return fail(`${ev.stuck ?? 'no connection'} (${outcome(ev)}).`);
      const l = c.lines.find((x) => x.text === `SUB ${late.topic}`);
      if (!l) {
        return fail(
          `subscribe('${late.topic}') was called while connected, and the open connection never carried "SUB ${late.topic}" (it lived ${ms((c.endAt ?? ev.watchEnd) - late.at)} more): ` +
            `when the socket is connected, write the SUB line at once — not only on the next connect.`,
        );
      }
      return pass(`"SUB ${late.topic}" reached the server ${ms(Math.max(0, l.t - late.at))} after subscribe() on the open connection`);
    },
  }),
  kit.check({
    id: 'resubscribes-after-reconnect',
    category: 'correctness',
    title: 'every reconnect sends SUB again for every topic subscribed so far',
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
              `in the ${ev.scenario} scenario a reconnection (from port ${c.localPort}) sent ${got.size ? [...got].map((t) => `SUB ${t}`).join(', ') : 'no SUB line'}, missing ${missing.join(', ')}: ` +
                `a new connection is a new session — the server knows nothing of the old one. Send SUB for every topic on every 'connect'.`,
            );
          }
          n++;
        }
      }
      if (n === 0) return fail(`your host never connected again after a connection was lost (${e.evidence('restart').stuck ?? outcome(e.evidence('restart'))}): nothing to judge.`);
      return pass(`each of the ${n} reconnections sent SUB for every topic subscribed so far`);
    },
  }),
  kit.check({
    id: 'delivers-messages',
    category: 'correctness',
    title: 'every MSG line reaches the listeners, across reconnects, however the bytes were split',
    points: 2,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      if (ev.published.length === 0) return fail(`no message could be published: ${ev.stuck ?? outcome(ev)}.`);
      const got = ev.learner.events.filter((x) => x.type === 'message').map((x) => ({ topic: String(x.topic), payload: String(x.payload) }));
      const key = (m: Published) => `${m.topic} ${m.payload}`;
      const gotKeys = new Set(got.map(key));
      const missing = ev.published.filter((m) => !gotKeys.has(key(m)));
      const sent = new Set(ev.published.map(key));
      const junk = got.filter((m) => !sent.has(key(m)));
      if (junk.length) {
        return fail(
          `your listener was called with ${junk.slice(0, 3).map((m) => JSON.stringify([m.topic, m.payload])).join(', ')}, which the server never sent as such: ` +
            `TCP is a byte stream, not a message stream — keep the unfinished end of each chunk and split on "\\n"; a MSG line is "MSG <topic> <payload>".`,
        );
      }
      if (missing.length) {
        return fail(
          `the server sent ${ev.published.length} MSG lines (two in one segment, one split across two segments, others after reconnects); your listener never got ${missing
            .map((m) => JSON.stringify([m.topic, m.payload]))
            .join(', ')}. Buffer the bytes until "\\n", parse each whole line, and keep the listeners across reconnects.`,
        );
      }
      return pass(`all ${ev.published.length} MSG lines reached the listener, including one split across two segments and two sharing one`);
    },
  }),
  kit.check({
    id: 'heartbeats',
    category: 'timeouts',
    title: 'while connected, sends PING every heartbeatMs',
    points: 2,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      const c = firstConn(ev);
      const h = ev.runner.heartbeatMs;
      if (!c) return fail(`no connection to judge (${outcome(ev)}).`);
      const pings = c.lines.filter((l) => l.text === 'PING').map((l) => l.t);
      const end = c.endAt ?? ev.killedAt ?? ev.watchEnd;
      const span = end - c.acceptAt;
      const expected = Math.floor(span / h);
      if (pings.length < Math.max(2, Math.floor(expected * 0.5))) {
        return fail(
          `the connection was open for ${ms(span)} with heartbeatMs ${ms(h)}, and the server got ${pings.length} PING line(s): ` +
            `while connected, write "PING\\n" every heartbeatMs (setInterval, cleared on 'close'). Without it a dead peer goes unnoticed.`,
        );
      }
      if (pings.length > expected * 2 + 3) return fail(`the server got ${pings.length} PINGs in ${ms(span)} with heartbeatMs ${ms(h)}: send one per heartbeatMs, not more.`);
      const gaps = pings.slice(1).map((t, i) => t - pings[i]!).sort((a, b) => a - b);
      const med = gaps[Math.floor(gaps.length / 2)]!;
      if (med < h * 0.75 || med > h * 1.3 + 25) return fail(`PINGs came every ${ms(med)} (median) with heartbeatMs ${ms(h)}: send one every heartbeatMs.`);
      return pass(`${pings.length} PINGs in ${ms(span)}, one every ${ms(med)} (median; heartbeatMs ${ms(h)})`);
    },
  }),
  kit.check({
    id: 'dead-connection-detected',
    category: 'timeouts',
    title: 'a blackholed connection is destroyed deadAfterMs after the last byte received, and the client reconnects',
    points: 2,
    needs: ['blackhole'],
    judge(e) {
      const ev = e.evidence('blackhole');
      const g = gateCrash(ev);
      if (g) return g;
      const lp = ev.blackholedPort;
      if (lp === undefined || ev.faultAt === undefined) return fail(`the flow was never blackholed: ${ev.stuck ?? outcome(ev)}.`);
      const dead = ev.runner.deadAfterMs;
      const wire = ev.learner.wire;
      const lastIn = wire.filter((w) => fromPeerOn(ev, lp)(w) && w.verdict !== 'drop' && ((w.payload ?? 0) > 0 || w.flags.includes('syn'))).at(-1);
      const close = wire.find((w) => fromLearnerOn(ev, lp)(w) && w.t >= ev.faultAt! - lagMs && (w.flags.includes('fin') || w.flags.includes('rst')));
      const syn = learnerSyns(ev).find((w) => w.sport !== lp && w.t >= ev.faultAt! - lagMs);
      const noticed = [close?.t, syn?.t].filter((t): t is number => t !== undefined);
      if (!lastIn) return fail(`no data from the server reached your host before the blackhole (${outcome(ev)}).`);
      if (noticed.length === 0) {
        return fail(
          `the router dropped every packet of the connection; ${ms(ev.watchEnd - lastIn.t)} later your host had neither closed it nor opened another: ` +
            `a blackholed connection raises no error. Keep the time of the last byte received; when nothing has arrived for deadAfterMs (${ms(dead)}), destroy() the socket and reconnect.`,
        );
      }
      const at = Math.min(...noticed);
      // The server's own record of its last write bounds the last byte's crossing from below.
      const pongs = (ev.peers[0] ?? []).filter((p) => p.type === 'pong' && p.t <= lastIn.t + 5).map((p) => p.t);
      const most = pongs.length ? at - Math.max(...pongs) : at - lastIn.t;
      const seen = at - lastIn.t;
      if (most < dead - deadEarlyMs(dead)) {
        return fail(`your host gave up on the connection only ${ms(most)} after the last byte it received (deadAfterMs ${ms(dead)}): wait for deadAfterMs of silence; every byte received restarts the count.`);
      }
      if (seen > dead + ev.runner.heartbeatMs + 3 * ev.runner.minDelayMs + deadLateMs) {
        return fail(`your host gave up on the connection ${ms(seen)} after the last byte it received, long after deadAfterMs (${ms(dead)}): check the silence often (every heartbeat, say) and destroy() at once.`);
      }
      const conns = connections(ev).filter((c) => c.acceptAt > ev.faultAt!);
      if (conns.length === 0) return fail(`your host closed the blackholed connection after ${ms(seen)} of silence but never reconnected: schedule a reconnect on 'close'.`);
      return pass(`the blackholed connection was given up ${ms(seen)} after the last byte received (deadAfterMs ${ms(dead)}), and a new connection was made`);
    },
  }),
  kit.check({
    id: 'backoff-grows-capped',
    category: 'backoff',
    title: 'while the server is down, attempts back off exponentially, capped at maxDelayMs',
    points: 2,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      const g = gateCrash(ev);
      if (g) return g;
      if (ev.killedAt === undefined || ev.restartedAt === undefined) return fail(`the server was never killed: ${ev.stuck ?? outcome(ev)}.`);
      const { minDelayMs: min, maxDelayMs: max } = ev.runner;
      const syns = learnerSyns(ev).filter((s) => s.t > ev.killedAt!);
      const down = syns.filter((s) => s.t <= ev.restartedAt!);
      if (down.length < 2) {
        return fail(
          `while the server was down for ${ms(ev.restartedAt - ev.killedAt)}, your host tried ${down.length} time(s): ` +
            `after a refused or failed attempt, schedule the next one after a backoff delay (on 'close'), again and again.`,
        );
      }
      const upto = syns.slice(0, down.length + 1);
      const gaps = upto.slice(1).map((s, i) => s.t - upto[i]!.t);
      const biggest = Math.max(...gaps);
      const list = gaps.map((x) => Math.round(x)).join(', ');
      if (biggest < 2 * min + lagMs) {
        return fail(
          `while the server was down for ${ms(ev.restartedAt - ev.killedAt)}, your host made ${down.length} attempts, never more than ${ms(biggest)} apart (minDelayMs ${ms(min)}; gaps ${list} ms): ` +
            `the delay must double after each failed attempt — min(maxDelayMs, minDelayMs * 2 ** (attempt - 1)), with jitter — or a fleet of clients hammers a server that is trying to come back.`,
        );
      }
      if (biggest > max * 1.3 + 2 * lagMs) {
        return fail(`two attempts were ${ms(biggest)} apart (maxDelayMs ${ms(max)}; gaps ${list} ms): cap the delay at maxDelayMs, jitter included.`);
      }
      return pass(`${down.length} attempts while the server was down, gaps ${list} ms (minDelayMs ${ms(min)}, maxDelayMs ${ms(max)})`);
    },
  }),
  kit.check({
    id: 'backoff-resets',
    category: 'backoff',
    title: 'after a connection that succeeded, the backoff starts again from minDelayMs',
    points: 2,
    needs: ['restart'],
    judge(e) {
      const ev = e.evidence('restart');
      const g = gateCrash(ev);
      if (g) return g;
      if (ev.droppedPorts.length < 2) return fail(`the server never got to hang up twice: ${ev.stuck ?? outcome(ev)}.`);
      const min = ev.runner.minDelayMs;
      const bound = 3 * min + 2 * lagMs + 50;
      const waits: number[] = [];
      for (const lp of ev.droppedPorts) {
        const fin = ev.learner.wire.find((w) => fromPeerOn(ev, lp)(w) && w.flags.includes('fin'));
        if (!fin) return fail(`the server hung up (FIN) but the router saw no FIN from it on port ${lp}.`);
        const next = learnerSyns(ev).find((s) => s.t > fin.t - 5 && s.sport !== lp);
        if (!next) return fail(`after the server hung up, your host never connected again: reconnect on 'close'.`);
        waits.push(next.t - fin.t);
      }
      const worst = Math.max(...waits);
      if (worst > bound) {
        return fail(
          `the server came back and your host connected; when the server then hung up, the next attempt waited ${waits.map((w) => ms(w)).join(' and ')} (minDelayMs ${ms(min)}, maxDelayMs ${ms(ev.runner.maxDelayMs)}): ` +
            `reset the attempt count on every successful 'connect', so the next outage starts again from minDelayMs.`,
        );
      }
      return pass(`after each hang-up the next attempt came ${waits.map((w) => ms(w)).join(' and ')} later (minDelayMs ${ms(min)})`);
    },
  }),
  kit.check({
    id: 'one-connection-at-a-time',
    category: 'resources',
    title: 'at most one connection open or being opened at any time',
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
      if (connections(ev).length < 2) return fail(`your host never reconnected in the restart scenario (${ev.stuck ?? outcome(ev)}): nothing to judge.`);
      for (const s of syns) {
        const open = syns.filter((o) => o.t < s.t && o.sport !== s.sport && (end.get(o.sport!) ?? Infinity) > s.t);
        if (open.length) {
          return fail(
            `your host opened a connection (from port ${s.sport}) while another (from port ${open[0]!.sport}) was still open or being opened: ` +
              `'error' is followed by 'close' — reconnect from one place ('close') and keep one socket at a time, or the connections multiply.`,
          );
        }
      }
      const conns = connections(ev);
      for (const c of conns) {
        const other = conns.find((o) => o !== c && o.peer === c.peer && o.acceptAt < c.acceptAt && (o.endAt ?? Infinity) > c.acceptAt + 50);
        if (other) return fail(`the server had two connections from your host open at once (ports ${other.localPort} and ${c.localPort}): keep one socket at a time.`);
      }
      return pass(`${syns.length} connection attempts, never two at once`);
    },
  }),
  kit.check({
    id: 'survives-socket-errors',
    category: 'error-handling',
    title: 'never crashes on a socket error (refused, reset)',
    points: 2,
    needs: ['restart', 'blackhole'],
    judge(e) {
      for (const ev of [e.evidence('restart'), e.evidence('blackhole')]) {
        const g = gateCrash(ev);
        if (g) return g;
      }
      const ev = e.evidence('restart');
      const refused = learnerSyns(ev).filter((s) => ev.killedAt !== undefined && s.t > ev.killedAt && s.t < (ev.restartedAt ?? 0)).length;
      return pass(`the process stayed up through the server's death, ${refused} refused attempts, and a blackhole`);
    },
  }),
  kit.check({
    id: 'close-stops-everything',
    category: 'shutdown',
    title: 'close() ends the connection (FIN) and no SYN leaves afterwards',
    points: 2,
    needs: ['restart', 'blackhole'],
    judge(e) {
      for (const ev of [e.evidence('restart'), e.evidence('blackhole')]) {
        if (ev.closingAt === undefined) return fail(`close() was never called in the ${ev.scenario} scenario: ${crashed(ev) ?? ev.stuck ?? outcome(ev)}.`);
        const after = learnerSyns(ev).filter((s) => s.t > ev.closingAt! + 30);
        if (after.length) {
          return fail(
            `after close(), your host sent ${after.length} SYN(s), the first ${ms(after[0]!.t - ev.closingAt)} later: ` +
              `close() must cancel the pending reconnect timer and stop the 'close' handler from scheduling a new one (a "closed" flag).`,
          );
        }
        // The blackholed flow's FIN may wait behind unacknowledged PINGs in the kernel's queue: not judged here.
        const conns = connections(ev).filter((c) => c.localPort !== ev.blackholedPort);
        const last = conns.at(-1);
        if (!last) continue;
        const fin = ev.learner.wire.find((w) => fromLearnerOn(ev, last.localPort)(w) && w.t >= ev.closingAt! - lagMs && (w.flags.includes('fin') || w.flags.includes('rst')));
        if (!fin) return fail(`after close(), the router saw no FIN or RST from your host on the open connection (port ${last.localPort}): end or destroy the socket in close().`);
      }
      return pass('close() ended the open connection and no SYN left afterwards');
    },
  }),
  kit.check({
    id: 'close-lets-exit',
    category: 'resources',
    title: 'after close() no timer or socket keeps the process alive',
    points: 1,
    needs: ['restart', 'blackhole'],
    judge(e) {
      for (const ev of [e.evidence('restart'), e.evidence('blackhole')]) {
        if (ev.closingAt === undefined) return fail(`close() was never called in the ${ev.scenario} scenario: ${crashed(ev) ?? ev.stuck ?? outcome(ev)}.`);
        const exit = ev.learner.exit;
        if (!exit || exit.killedByHarness || exit.t - ev.closingAt > lingerLimitMs) {
          return fail(
            `after close(), the process was still alive ${ms((exit?.t ?? ev.watchEnd) - ev.closingAt)} later, when we stopped it: ` +
              `clear the heartbeat interval, the dead-connection timer and the reconnect timer in close(), and destroy the socket.`,
          );
        }
        if (exit.code !== 0) return fail(`after close(), ${outcome(ev)}.`);
      }
      return pass('after close() the process exited by itself');
    },
  }),
];

export default {
  id: 'reconnecting-client',
  title: 'A resilient reconnecting client',
  vi: { title: 'Client tự kết nối lại bền bỉ', part: 'Phần 10 — Client tự kết nối lại bền bỉ' },
  part: 'Part 10 — A resilient reconnecting client',
  kind: 'module',
  scenarios,
  checks,
  runner: new URL('./runner.ts', import.meta.url).pathname,
  peers: { server: new URL('./peer.ts', import.meta.url).pathname },
} satisfies ExerciseDef;
