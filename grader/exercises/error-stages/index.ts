/**
 * error-stages (Part 10 and "the full request path"): a probe that never
 * rejects and puts every failure on its stage — lookup, connect, write, read,
 * idle — with Node's own error code. One lab per scenario, all at once; the
 * learner's resolv.conf names the lab's DNS peer (harness/peers/dns-server.ts).
 *
 *   name-ok      a drawn name resolves to the peer, which reads the request, replies in pieces and ends
 *   ip-ok        the same with an IP literal
 *   nxdomain     a drawn name nobody declared: lookup / ENOTFOUND
 *   dns-silent   a drawn name the resolver never answers: lookup / EAI_AGAIN (about a second)
 *   refused      the router answers SYNs with a TCP reset: connect / ECONNREFUSED
 *   unreachable  the router answers SYNs with ICMP host-unreachable: connect / EHOSTUNREACH
 *   drop-syn     the router drops SYNs: connect / ETIMEDOUT at connectMs, and no SYN after it
 *   write-reset  a request of several MB to a peer that reads nothing, then resets: write / EPIPE or ECONNRESET
 *   read-reset   the peer reads a request of several MB, sends part of a reply, resets: read / ECONNRESET
 *   silent       the peer holds the request a while, reads it all, answers nothing: idle / ETIMEDOUT,
 *                idleMs after the peer had the whole request (a timer started at connect fires early)
 *
 * Graded from what the peers recorded (their own times: the whole request in,
 * the client's FIN or RST; the DNS queries), the router's SYN trace, when the
 * learner's process exited, and what the promise settled with (runner's
 * signed events).
 */
import { createHash } from 'node:crypto';
import type { AgentEvent } from '../../../harness/process.ts';
import { synsFrom } from '../../../harness/wire.ts';
import { errorSummary, ms } from '../../evidence.ts';
import { describeProcess, eventOf, exerciseKit, fail, observe, pass, runProgram, startPeer, type ProcessRecord } from '../../kit/index.ts';
import type { Draws } from '../../draws.ts';
import type { ExerciseDef, Scenario, ScenarioContext, Verdict } from '../../types.ts';
import type { RequestSpec, RunnerConfig } from './runner.ts';
import type { PeerMode, StagesPeerConfig } from './peer.ts';

const dnsFile = new URL('../../../harness/peers/dns-server.ts', import.meta.url).pathname;
const peerFile = new URL('./peer.ts', import.meta.url).pathname;
const runnerFile = new URL('./runner.ts', import.meta.url).pathname;

/** Drawn per run (grader/draws.ts). */
export const ranges = {
  port: [20000, 60000],
  /** SYNs dropped: ≤ 850, so the kernel's first SYN retransmission (1 s after the first) comes clearly after the deadline. */
  dropConnectMs: [500, 850],
  /**
   * Everywhere else connectMs and idleMs are long: a timer of either left behind after the outcome holds the
   * process well past lingerLimitMs, and none of them can fire by mistake in a healthy exchange.
   */
  longMs: [3000, 4500],
  /** The silent peer: idleMs, and how long it holds the request unread first (always well short of idleMs). */
  silentIdleMs: [1250, 1500],
  /**
   * Wider than lateMs + idleEarlyMs: no constant added to a timer started at connect lands within the idle window for
   * every hold (test/fixtures/gaming/error-stages/idle-after-hold.ts).
   */
  holdMs: [400, 1200],
  /** Requests too large for the kernel's buffers (send buffer ≤ 4 MB, a receiver that reads nothing advertises far less). */
  bigRequestBytes: [7_000_000, 11_000_000],
  smallRequestBytes: [200, 4000],
  replyBytes: [500, 20_000],
  /** The peer that reads nothing resets this long after the accept; the midreply reset comes this long after the partial reply. */
  noReadResetMs: [250, 500],
  midReplyResetMs: [80, 250],
} as const;

/** How late a timer may fire on a busy machine; how far early (router/peer stamps, the drain after the write callback). */
const lateMs = 450;
const idleEarlyMs = 250;
/** The peer must see the FIN or RST this soon after the promise settled. */
const closeWithinMs = 500;
/** After the outcome, a process that holds nothing exits at once: this much later counts as held open. */
const lingerLimitMs = 1500;
/** drop-syn is watched this long after the call: past the kernel's SYN retransmissions at about 1 s and 3 s. */
const dropWatchMs = 3500;

type ScenarioId = 'name-ok' | 'ip-ok' | 'nxdomain' | 'dns-silent' | 'refused' | 'unreachable' | 'drop-syn' | 'write-reset' | 'read-reset' | 'silent';
const ids: ScenarioId[] = ['name-ok', 'ip-ok', 'nxdomain', 'dns-silent', 'refused', 'unreachable', 'drop-syn', 'write-reset', 'read-reset', 'silent'];

export interface StagesEvidence {
  id: ScenarioId;
  host: string;
  port: number;
  opts: RunnerConfig['opts'];
  requestBytes: number;
  /** reply-and-end: the whole reply, as the peer wrote it. */
  reply?: string;
  holdMs?: number;
  learner: ProcessRecord;
  learnerAddress: string;
  /** The TCP peer's records (none where the scenario has no TCP peer). */
  peerEvents: AgentEvent[];
  /** The DNS peer's records. */
  dnsEvents: AgentEvent[];
}

interface Plan {
  id: ScenarioId;
  /** A name (served or not by the lab's DNS), or undefined: the peer's IP literal. */
  name?: string;
  names: Record<string, { a?: string[]; silent?: boolean }>;
  port: number;
  opts: RunnerConfig['opts'];
  request: RequestSpec;
  peer?: { mode: PeerMode; reply?: string[]; partial?: string; resetAfterMs?: number; holdMs?: number };
  /** How long to wait for the promise to settle, from the start. */
  settleWithinMs: number;
  /** Watch at least this long after the call (drop-syn: SYNs after the deadline). */
  watchMs?: number;
}

/** The same construction as runner.ts's buildRequest. */
function buildRequest(r: RequestSpec): string {
  const fill = r.bytes - r.head.length;
  if (fill <= 0) return r.head.slice(0, r.bytes);
  return r.head + r.pattern.repeat(Math.ceil(fill / r.pattern.length)).slice(0, fill);
}

async function runPlan(ctx: ScenarioContext, plan: Plan): Promise<StagesEvidence> {
  const { lab } = ctx;
  const server = lab.addresses.peers.server!;
  const names = Object.fromEntries(Object.entries(plan.names).map(([k, v]) => [k, v.a ? { a: [server] } : v]));
  const dns = await startPeer(ctx, 'dns', { config: { names }, ready: 'listening' });
  let peer: Awaited<ReturnType<typeof startPeer>> | undefined;
  if (plan.peer) {
    const text = buildRequest(plan.request);
    const peerCfg: StagesPeerConfig = {
      port: plan.port,
      requestBytes: Buffer.byteLength(text),
      requestSha: createHash('sha256').update(text).digest('hex'),
      ...plan.peer,
    };
    peer = await startPeer(ctx, 'server', { config: peerCfg, ready: 'listening' });
  }
  const host = plan.name ?? server;
  const cfg: RunnerConfig = { host, port: plan.port, opts: plan.opts, request: plan.request };
  const learner = await runProgram(ctx, { config: cfg }, { wallMs: 25_000 });
  await Promise.race([learner.waitFor('settled', plan.settleWithinMs), learner.exited]);
  const call = learner.events.find((e) => e.type === 'call');
  const settled = learner.events.find((e) => e.type === 'settled');
  if (settled) {
    // The process holds nothing of ours now: it exits when the learner's sockets and timers let it.
    const watchLeft = plan.watchMs && call ? call.t + plan.watchMs - settled.t : 0;
    await learner.waitExit(Math.max(lingerLimitMs + 300, watchLeft));
  }
  const record = await observe(lab, learner, { exitWithinMs: 0 });
  return {
    id: plan.id,
    host,
    port: plan.port,
    opts: plan.opts,
    requestBytes: plan.request.bytes,
    reply: plan.peer?.mode === 'reply-and-end' ? plan.peer.reply!.join('') : undefined,
    holdMs: plan.peer?.holdMs,
    learner: record,
    learnerAddress: lab.addresses.learner,
    peerEvents: peer ? [...peer.events] : [],
    dnsEvents: [...dns.events],
  };
}

type Evidence = Record<ScenarioId, StagesEvidence>;
const kit = exerciseKit<Evidence>();

function scenarios(draws: Draws): Scenario<StagesEvidence>[] {
  const ports = draws.distinct('ports', ids.length, ...ranges.port);
  const port = (id: ScenarioId) => ports[ids.indexOf(id)]!;
  const long = (id: string) => ({ connectMs: draws.int(`${id}.connectMs`, ...ranges.longMs), idleMs: draws.int(`${id}.idleMs`, ...ranges.longMs) });
  /** Printable ASCII, no fixed word in it. */
  const noise = (key: string, n: number): string => {
    const d = draws.fork(key);
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(33 + Math.floor(d.next() * 94));
    return s;
  };
  const request = (id: string, big: boolean): RequestSpec => ({
    head: `${noise(`${id}.head`, draws.int(`${id}.headLength`, 8, 40))}\n`,
    pattern: noise(`${id}.pattern`, draws.int(`${id}.patternLength`, 16, 200)),
    bytes: big ? draws.int(`${id}.bytes`, ...ranges.bigRequestBytes) : draws.int(`${id}.bytes`, ...ranges.smallRequestBytes),
  });
  const reply = (id: string): string[] => {
    const n = draws.int(`${id}.replyParts`, 2, 4);
    return Array.from({ length: n }, (_, i) => noise(`${id}.reply${i}`, Math.ceil(draws.int(`${id}.replyBytes`, ...ranges.replyBytes) / n)));
  };
  const label = (id: string) => `${['api', 'svc', 'db', 'edge', 'auth', 'cache'][draws.int(`${id}.word`, 0, 5)]}-${draws.int(`${id}.n`, 100, 99999)}`;
  const zone = ['lab.test', 'internal.test', 'corp.test', 'example.test'][draws.int('zone', 0, 3)]!;
  const name = (id: string) => `${label(id)}.${zone}`;
  const okName = name('name-ok');
  const refusedName = name('refused');
  const writeName = name('write-reset');
  const silentName = name('silent');
  const missing = name('nxdomain');
  const unanswered = name('dns-silent');
  // Every lab's resolver declares the same names: the DNS tells no scenario from another.
  const names = {
    [okName]: { a: ['server'] },
    [refusedName]: { a: ['server'] },
    [writeName]: { a: ['server'] },
    [silentName]: { a: ['server'] },
    [unanswered]: { silent: true },
  };
  const silentIdleMs = draws.int('silent.idleMs', ...ranges.silentIdleMs);
  const holdMs = draws.int('silent.holdMs', ...ranges.holdMs);
  const dropConnectMs = draws.int('drop-syn.connectMs', ...ranges.dropConnectMs);
  const plans: Array<{ title: string; wait: number; plan: Omit<Plan, 'port' | 'names'>; faults?: Scenario['lab']['faults'] }> = [
    {
      title: 'a name that resolves; the peer replies and ends its side',
      wait: 0,
      plan: { id: 'name-ok', name: okName, opts: long('name-ok'), request: request('name-ok', false), peer: { mode: 'reply-and-end', reply: reply('name-ok') }, settleWithinMs: 8000 },
    },
    {
      title: 'an IP literal; the peer replies and ends its side',
      wait: 0,
      plan: { id: 'ip-ok', opts: long('ip-ok'), request: request('ip-ok', false), peer: { mode: 'reply-and-end', reply: reply('ip-ok') }, settleWithinMs: 8000 },
    },
    {
      title: 'a name that does not exist (NXDOMAIN)',
      wait: 0,
      plan: { id: 'nxdomain', name: missing, opts: long('nxdomain'), request: request('nxdomain', false), settleWithinMs: 8000 },
    },
    {
      title: 'a name the resolver never answers',
      wait: 1000,
      plan: { id: 'dns-silent', name: unanswered, opts: long('dns-silent'), request: request('dns-silent', false), settleWithinMs: 9000 },
    },
    {
      title: 'SYNs answered with a TCP reset',
      wait: 0,
      plan: { id: 'refused', name: refusedName, opts: long('refused'), request: request('refused', false), settleWithinMs: 8000 },
      faults: [{ id: 'refuse', kind: 'reject-tcp-reset', match: { proto: 'tcp', port: port('refused'), synOnly: true } }],
    },
    {
      title: 'SYNs answered with ICMP host-unreachable',
      wait: 0,
      plan: { id: 'unreachable', opts: long('unreachable'), request: request('unreachable', false), settleWithinMs: 8000 },
      faults: [{ id: 'unreachable', kind: 'reject-icmp', icmp: 'host-unreachable', match: { proto: 'tcp', port: port('unreachable'), synOnly: true } }],
    },
    {
      title: 'SYNs silently dropped by a firewall',
      wait: dropWatchMs,
      plan: {
        id: 'drop-syn',
        opts: { connectMs: dropConnectMs, idleMs: draws.int('drop-syn.idleMs', ...ranges.longMs) },
        request: request('drop-syn', false),
        settleWithinMs: dropWatchMs + 3000,
        watchMs: dropWatchMs,
      },
      faults: [{ id: 'drop-syn', kind: 'drop', match: { proto: 'tcp', port: port('drop-syn'), synOnly: true } }],
    },
    {
      title: 'a request of several MB to a peer that reads nothing, then resets',
      wait: ranges.noReadResetMs[1],
      plan: {
        id: 'write-reset',
        name: writeName,
        opts: long('write-reset'),
        request: request('write-reset', true),
        peer: { mode: 'no-read-then-reset', resetAfterMs: draws.int('write-reset.resetAfterMs', ...ranges.noReadResetMs) },
        settleWithinMs: 9000,
      },
    },
    {
      title: 'the peer reads a request of several MB, sends part of a reply, then resets',
      wait: ranges.midReplyResetMs[1],
      plan: {
        id: 'read-reset',
        opts: long('read-reset'),
        // Large too, as in write-reset: the request's size tells no write-stage reset from a read-stage one.
        request: request('read-reset', true),
        peer: { mode: 'read-then-reset-midreply', partial: noise('read-reset.partial', draws.int('read-reset.partialBytes', 20, 1000)), resetAfterMs: draws.int('read-reset.resetAfterMs', ...ranges.midReplyResetMs) },
        settleWithinMs: 8000,
      },
    },
    {
      title: 'the peer holds a large request unread, then reads it all and answers nothing',
      wait: holdMs + silentIdleMs,
      plan: {
        id: 'silent',
        name: silentName,
        opts: { connectMs: draws.int('silent.connectMs', ...ranges.longMs), idleMs: silentIdleMs },
        request: request('silent', true),
        peer: { mode: 'silent', holdMs },
        settleWithinMs: holdMs + silentIdleMs + 6000,
      },
    },
  ];
  return plans.map(({ title, wait, plan, faults }) => {
    return kit.scenario({
      id: plan.id,
      title,
      // Every lab has the same hosts: its shape tells no scenario from another.
      lab: { peers: ['server', 'dns'], resolver: 'dns', faults },
      inherentWaitMs: wait,
      deadlineMs: 45_000,
      run: (ctx) => runPlan(ctx, { ...plan, port: port(plan.id), names }),
    });
  });
}

// ── Reading the evidence ────────────────────────────────────────────────────

const settledOf = (ev: StagesEvidence): AgentEvent | undefined => eventOf(ev.learner, 'settled');
const callOf = (ev: StagesEvidence): AgentEvent | undefined => eventOf(ev.learner, 'call');
const peerEvent = (ev: StagesEvidence, type: string): AgentEvent | undefined => ev.peerEvents.find((e) => e.type === type);

interface Value {
  kind?: string;
  value?: unknown;
  keys?: string[];
  ok?: unknown;
  stage?: string;
  code?: string;
  reply?: string;
  replyLength?: number;
}

/** What the call did, in a phrase. */
function outcome(ev: StagesEvidence): string {
  if (eventOf(ev.learner, 'missing-export') || eventOf(ev.learner, 'crash')) return describeProcess(ev.learner)!;
  const s = settledOf(ev);
  const call = callOf(ev);
  const after = s && call ? ` after ${ms(s.t - call.t)}` : '';
  if (!s) return describeProcess(ev.learner) ?? 'the promise was still pending when we stopped watching';
  if (s.how === 'threw') return `probe threw synchronously (${errorSummary(s.error)}) instead of returning a promise`;
  if (s.how === 'rejected') return `the promise rejected${after} with ${errorSummary(s.error)}`;
  const v = s.value as Value;
  if (v.kind !== 'object') return `the promise resolved${after} with ${String(v.kind)} ${JSON.stringify(v.value ?? null)}, not a ProbeResult object`;
  if (v.ok === true) return `the promise resolved${after} with { ok: true, reply: ${v.replyLength === undefined ? 'not a string' : `${v.replyLength} characters`} }`;
  return `the promise resolved${after} with { ok: ${String(v.ok)}, stage: ${JSON.stringify(v.stage ?? null)}, code: ${JSON.stringify(v.code ?? null)} }`;
}

const never = 'probe must never reject: resolve with { ok: false, stage, code } on every failure.';

/** Judges a failure outcome: resolved, { ok: false, stage, code } with one of `codes`. */
function failsOn(ev: StagesEvidence, what: string, stage: string, codes: string[], advice: string): Verdict {
  const s = settledOf(ev);
  const want = `{ ok: false, stage: '${stage}', code: ${codes.map((c) => `'${c}'`).join(' or ')} }`;
  if (!s) return fail(`${what}: ${outcome(ev)}. Expected ${want}. ${advice}`);
  if (s.how !== 'resolved') return fail(`${what}: ${outcome(ev)}. ${never} Here: ${want}.`);
  const v = s.value as Value;
  if (v.kind !== 'object' || v.ok !== false) return fail(`${what}: ${outcome(ev)}. Expected ${want}.`);
  if (v.stage !== stage) return fail(`${what}: ${outcome(ev)}; this failure belongs to the ${stage} stage: ${want}. ${advice}`);
  if (!codes.includes(String(v.code))) {
    return fail(`${what}: ${outcome(ev)}. Report Node's own error code (err.code), unchanged: ${codes.join(' or ')} here. ${advice}`);
  }
  return pass(`${what}: ${outcome(ev)}`);
}

/** The peer's first sign that the client closed: its FIN, its RST, or the close. */
function peerSawClose(ev: StagesEvidence): AgentEvent | undefined {
  return ev.peerEvents.find((e) => e.type === 'end' || e.type === 'error' || (e.type === 'close' && !ev.peerEvents.some((r) => r.type === 'reset')));
}

function okWith(ev: StagesEvidence, what: string): Verdict {
  const s = settledOf(ev);
  if (!peerEvent(ev, 'accept')) return fail(`${what}: the peer at port ${ev.port} saw no connection from your host (${outcome(ev)}): look the host up, then connect to the address and port.`);
  const req = peerEvent(ev, 'request');
  if (!req) return fail(`${what}: the peer accepted your connection but never received the whole ${ev.requestBytes}-byte request (${outcome(ev)}): write all of it.`);
  if (!req.match) return fail(`${what}: the peer received ${String(req.bytes)} bytes that are not the request you were given: write the request string as it is, once.`);
  if (!s || s.how !== 'resolved') return fail(`${what}: the peer received the request, replied and ended its side; ${outcome(ev)}. Resolve { ok: true, reply } when the socket ends.`);
  const v = s.value as Value;
  if (v.kind !== 'object' || v.ok !== true) return fail(`${what}: the peer replied and ended its side; ${outcome(ev)}. A complete reply is { ok: true, reply }.`);
  const reply = ev.reply!;
  const expect = reply.length <= 16000 ? reply : reply.slice(0, 8000) + reply.slice(-8000);
  if (v.replyLength !== reply.length || v.reply !== expect) {
    return fail(
      `${what}: the peer wrote a ${reply.length}-character reply in several writes, then ended; the promise resolved with ${v.replyLength === undefined ? 'no string reply' : `a ${v.replyLength}-character reply that differs`}. ` +
        `Collect every 'data' chunk and resolve on 'end', not before.`,
    );
  }
  const extra = (v.keys ?? []).filter((k) => k !== 'ok' && k !== 'reply');
  if (extra.length) return fail(`${what}: resolved { ok: true, reply } with extra fields (${extra.join(', ')}): the result is exactly { ok: true, reply }.`);
  return pass(`${what}: resolved { ok: true, reply } with the whole ${reply.length}-character reply`);
}

const checks = [
  kit.check({
    id: 'ok-by-name',
    category: 'correctness',
    title: 'a name that resolves: the request arrives whole and the whole reply comes back',
    points: 2,
    needs: ['name-ok'],
    judge(e) {
      const ev = e.evidence('name-ok');
      const asked = ev.dnsEvents.some((q) => q.type === 'query' && q.name === ev.host.toLowerCase());
      const v = okWith(ev, `host ${ev.host}`);
      if (v.pass && !asked) return fail(`host ${ev.host}: the lab's resolver was never asked for that name: look it up (dns.lookup) before connecting.`);
      return v;
    },
  }),
  kit.check({
    id: 'ok-by-ip',
    category: 'correctness',
    title: 'an IP literal: the request arrives whole and the whole reply comes back',
    points: 1,
    needs: ['ip-ok'],
    judge: (e) => okWith(e.evidence('ip-ok'), `host ${e.evidence('ip-ok').host}`),
  }),
  kit.check({
    id: 'lookup-enotfound',
    category: 'error-handling',
    title: 'a name that does not exist: lookup / ENOTFOUND',
    points: 2,
    needs: ['nxdomain'],
    judge: (e) =>
      failsOn(e.evidence('nxdomain'), `the resolver answered NXDOMAIN for ${e.evidence('nxdomain').host}`, 'lookup', ['ENOTFOUND'],
        'Look the name up yourself (dns.lookup, or the socket\'s \'lookup\' event) so that its failure is told apart from a failed connect.'),
  }),
  kit.check({
    id: 'lookup-eai-again',
    category: 'error-handling',
    title: 'a resolver that never answers: lookup / EAI_AGAIN',
    points: 1,
    needs: ['dns-silent'],
    judge: (e) =>
      failsOn(e.evidence('dns-silent'), `the resolver never answered for ${e.evidence('dns-silent').host}`, 'lookup', ['EAI_AGAIN'],
        'A resolver that does not answer fails the lookup with EAI_AGAIN: that too is the lookup stage.'),
  }),
  kit.check({
    id: 'connect-refused',
    category: 'error-handling',
    title: 'SYN answered with a reset: connect / ECONNREFUSED',
    points: 1,
    needs: ['refused'],
    judge: (e) => failsOn(e.evidence('refused'), 'the router answered the SYN with a TCP reset', 'connect', ['ECONNREFUSED'], "The socket's 'error' before 'connect' is the connect stage."),
  }),
  kit.check({
    id: 'connect-unreachable',
    category: 'error-handling',
    title: 'SYN answered with ICMP host-unreachable: connect / EHOSTUNREACH',
    points: 1,
    needs: ['unreachable'],
    judge: (e) => failsOn(e.evidence('unreachable'), 'the router answered the SYN with ICMP host-unreachable', 'connect', ['EHOSTUNREACH'], "The socket's 'error' before 'connect' is the connect stage."),
  }),
  kit.check({
    id: 'write-stage-reset',
    category: 'error-handling',
    title: 'a reset while the request is still being written: write / EPIPE or ECONNRESET',
    points: 2,
    needs: ['write-reset'],
    judge(e) {
      const ev = e.evidence('write-reset');
      const reset = peerEvent(ev, 'reset');
      if (!peerEvent(ev, 'accept')) return fail(`the peer at port ${ev.port} saw no connection from your host (${outcome(ev)}): look the host up and connect.`);
      const what = `the peer read nothing of your ${ev.requestBytes}-byte request and reset the connection ${reset && peerEvent(ev, 'accept') ? ms(reset.t - peerEvent(ev, 'accept')!.t) : ''} after accepting it`;
      return failsOn(ev, what, 'write', ['EPIPE', 'ECONNRESET'],
        "The request cannot all fit in the socket's buffers, so the write was still in progress: move to the read stage only when the write's callback (or 'finish') says it is done.");
    },
  }),
  kit.check({
    id: 'read-stage-reset',
    category: 'error-handling',
    title: 'a reset after the request was written, mid-reply: read / ECONNRESET',
    points: 2,
    needs: ['read-reset'],
    judge(e) {
      const ev = e.evidence('read-reset');
      if (!peerEvent(ev, 'request')) return fail(`the peer never received the whole request (${outcome(ev)}): write all of it.`);
      return failsOn(ev, 'the peer read the whole request, sent part of a reply, then reset', 'read', ['ECONNRESET'],
        'Once the request is written, an error while the reply comes in belongs to the read stage.');
    },
  }),
  kit.check({
    id: 'connect-timeout',
    category: 'timeouts',
    title: 'SYNs dropped: connect / ETIMEDOUT when connectMs has passed',
    points: 2,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const v = failsOn(ev, 'the firewall dropped every SYN', 'connect', ['ETIMEDOUT'],
        'The kernel alone retries SYNs for minutes: start a timer of connectMs, and when it fires destroy the socket and resolve connect / ETIMEDOUT.');
      if (!v.pass) return v;
      const t = settledOf(ev)!.t - callOf(ev)!.t;
      const { connectMs } = ev.opts;
      if (t < connectMs - 5) return fail(`resolved connect / ETIMEDOUT after ${ms(t)}, before connectMs (${ms(connectMs)}) had passed: give the handshake the whole connectMs.`);
      if (t > connectMs + lateMs) return fail(`resolved connect / ETIMEDOUT after ${ms(t)}, long after connectMs (${ms(connectMs)}): your own timer of connectMs must end the connect.`);
      return pass(`connect / ETIMEDOUT after ${ms(t)} (connectMs ${ms(connectMs)})`);
    },
  }),
  kit.check({
    id: 'idle-timeout',
    category: 'timeouts',
    title: 'no reply: idle / ETIMEDOUT idleMs after the request was written',
    points: 2,
    needs: ['silent'],
    judge(e) {
      const ev = e.evidence('silent');
      const req = peerEvent(ev, 'request');
      if (!req) return fail(`the peer never received the whole ${ev.requestBytes}-byte request (${outcome(ev)}): write all of it, and give the idle timer no say until it is written.`);
      const v = failsOn(ev, 'the peer read the whole request and answered nothing', 'idle', ['ETIMEDOUT'],
        'Once the request is written, wait at most idleMs for the reply: an idle timer (socket.setTimeout(idleMs) or your own), then destroy the socket and resolve idle / ETIMEDOUT.');
      if (!v.pass) return v;
      // From the peer's record of the whole request to the outcome (the runner's signed record, the same clock). Not the peer's
      // view of the close: a client that half-closed once its request was written sent its FIN then, and its later close sends nothing.
      const t = settledOf(ev)!.t - req.t;
      const { idleMs } = ev.opts;
      if (t < idleMs - idleEarlyMs) {
        return fail(
          `the peer had your whole request ${ms(req.t - peerEvent(ev, 'accept')!.t)} after the connection opened (it held it unread ${ms(ev.holdMs ?? 0)}), and you gave up only ${ms(t)} after that, ` +
            `before idleMs (${ms(idleMs)}): count idleMs from when the request was written (the write's callback), not from the connect.`,
        );
      }
      if (t > idleMs + lateMs) return fail(`gave up ${ms(t)} after the peer had the whole request, long after idleMs (${ms(idleMs)}): end the wait when the idle timer fires.`);
      return pass(`idle / ETIMEDOUT ${ms(t)} after the peer had the whole request (idleMs ${ms(idleMs)})`);
    },
  }),
  kit.check({
    id: 'never-rejects',
    category: 'error-handling',
    title: 'probe never rejects or throws, whatever fails',
    points: 1,
    needs: ids,
    judge(e) {
      for (const id of ids) {
        const s = settledOf(e.evidence(id));
        if (s && s.how !== 'resolved') return fail(`${id}: ${outcome(e.evidence(id))}. ${never}`);
      }
      const settled = ids.filter((id) => settledOf(e.evidence(id)));
      if (settled.length === 0) return fail(`the promise settled in no scenario (${outcome(e.evidence('name-ok'))}).`);
      return pass(`resolved in every scenario where it settled (${settled.length} of ${ids.length})`);
    },
  }),
  kit.check({
    id: 'no-syn-after-timeout',
    category: 'resources',
    title: 'after the connect timeout, no more SYNs leave the learner host',
    points: 1,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const syns = synsFrom(ev.learner.wire, ev.learnerAddress, ev.port);
      const s = settledOf(ev);
      if (syns.length === 0) return fail(`no SYN crossed the router (${outcome(ev)}): probe never opened a connection to the port.`);
      if (!s) return fail(`${syns.length} SYN(s) crossed the router and ${outcome(ev)}.`);
      const late = syns.filter((x) => x.t > s.t + 100);
      if (late.length > 0) {
        return fail(
          `after the promise settled, your socket kept connecting: ${late.length} more SYN(s) crossed the router (the last ${ms(late[late.length - 1]!.t - s.t)} after). ` +
            'When the connect timer fires, destroy() the socket.',
        );
      }
      return pass(`${syns.length} SYN(s) before the outcome, none after`);
    },
  }),
  kit.check({
    id: 'closes-after-idle',
    category: 'resources',
    title: 'after the idle timeout, the peer sees the connection closed',
    points: 1,
    needs: ['silent'],
    judge(e) {
      const ev = e.evidence('silent');
      const s = settledOf(ev);
      if (!s) return fail(`with a silent peer, ${outcome(ev)}, so there was no outcome after which to close.`);
      if (!peerEvent(ev, 'accept')) return fail(`the peer saw no connection from your host (${outcome(ev)}).`);
      const closed = peerSawClose(ev);
      if (!closed || closed.t > s.t + closeWithinMs) {
        return fail(
          `with a silent peer the promise settled, but the peer saw your FIN or RST ${closed ? `only ${ms(closed.t - s.t)} after it` : 'not at all while we watched'}: ` +
            'the socket stayed open. Destroy it when the idle timer fires, before resolving.',
        );
      }
      const how = closed.type === 'end' ? 'a FIN' : closed.type === 'error' ? `a reset (${String(closed.code)})` : 'the close';
      return pass(`the peer saw ${how} ${ms(Math.max(0, closed.t - s.t))} after the outcome`);
    },
  }),
  kit.check({
    id: 'nothing-left-behind',
    category: 'resources',
    title: 'after every outcome, no socket or timer keeps the process alive',
    points: 2,
    needs: ids,
    judge(e) {
      let judged = 0;
      for (const id of ids) {
        const ev = e.evidence(id);
        const s = settledOf(ev);
        // Only outcomes the contract allows: a probe that threw or rejected is judged by never-rejects.
        if (!s || s.how !== 'resolved') continue;
        judged++;
        const exit = ev.learner.exit;
        if (!exit || exit.killedByHarness || exit.t - s.t > lingerLimitMs) {
          const held = exit && !exit.killedByHarness ? ms(exit.t - s.t) : `more than ${ms(lingerLimitMs)}, until we stopped it`;
          return fail(
            `${id}: after the outcome (${outcome(ev)}), the process stayed alive ${held} (connectMs ${ms(ev.opts.connectMs)}, idleMs ${ms(ev.opts.idleMs)}): ` +
              'a socket or a timer was left behind. On every outcome, clear your timers and destroy the socket.',
          );
        }
      }
      if (judged === 0) return fail(`the promise resolved in no scenario (${outcome(e.evidence('name-ok'))}).`);
      return pass(`the process exited soon after the outcome in all ${judged} scenarios where probe settled`);
    },
  }),
];

export default {
  id: 'error-stages',
  title: 'Place every failure on its stage',
  part: 'Part 10 — The full request path: error codes by stage',
  kind: 'module',
  runner: runnerFile,
  peers: { server: peerFile, dns: dnsFile },
  scenarios,
  checks,
} satisfies ExerciseDef;
