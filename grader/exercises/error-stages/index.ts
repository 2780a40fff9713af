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
import { errorSummaryText, ms } from '../../evidence.ts';
import { bootRunner, describeProcessText, eventOf, exerciseKit, fail, observe, pass, startPeer, waitUntil, type ProcessRecord } from '../../kit/index.ts';
import type { Draws } from '../../draws.ts';
import type { Localized } from '../../i18n.ts';
import { m } from './messages.ts';
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
  const runner = bootRunner(ctx, { wallMs: 25_000 });
  const text = buildRequest(plan.request);
  const peerCfg: StagesPeerConfig | undefined = plan.peer && {
    port: plan.port,
    requestBytes: Buffer.byteLength(text),
    requestSha: createHash('sha256').update(text).digest('hex'),
    ...plan.peer,
  };
  // The resolver and the server start together (and beside the runner's boot).
  const [dns, peer] = await Promise.all([
    startPeer(ctx, 'dns', { config: { names }, ready: 'listening' }),
    peerCfg ? startPeer(ctx, 'server', { config: peerCfg, ready: 'listening' }) : undefined,
  ]);
  const host = plan.name ?? server;
  const cfg: RunnerConfig = { host, port: plan.port, opts: plan.opts, request: plan.request };
  const learner = await runner.start(cfg);
  await Promise.race([learner.waitFor('settled', plan.settleWithinMs), learner.exited]);
  const call = learner.events.find((e) => e.type === 'call');
  const settled = learner.events.find((e) => e.type === 'settled');
  if (settled) {
    // The process holds nothing of ours now: it exits when the learner's sockets and timers let it.
    const watchLeft = plan.watchMs && call ? call.t + plan.watchMs - settled.t : 0;
    await learner.waitExit(Math.max(lingerLimitMs + 300, watchLeft));
  }
  const record = await observe(lab, learner, { exitWithinMs: 0 });
  // The peer's record of the close travels on its own stream: give it the time a close is allowed before reading it
  // (read at once, a FIN sent before the promise settled could still be on its way on a busy machine).
  if (peer && settled && peer.events.some((e) => e.type === 'accept')) {
    await waitUntil(() => peer.events.some((e) => e.type === 'end' || e.type === 'error' || e.type === 'close'), closeWithinMs + 300);
  }
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
  const plans: Array<{ title: Localized; wait: number; plan: Omit<Plan, 'port' | 'names'>; faults?: Scenario['lab']['faults'] }> = [
    {
      title: m.scNameOk,
      wait: 0,
      plan: { id: 'name-ok', name: okName, opts: long('name-ok'), request: request('name-ok', false), peer: { mode: 'reply-and-end', reply: reply('name-ok') }, settleWithinMs: 8000 },
    },
    {
      title: m.scIpOk,
      wait: 0,
      plan: { id: 'ip-ok', opts: long('ip-ok'), request: request('ip-ok', false), peer: { mode: 'reply-and-end', reply: reply('ip-ok') }, settleWithinMs: 8000 },
    },
    {
      title: m.scNxdomain,
      wait: 0,
      plan: { id: 'nxdomain', name: missing, opts: long('nxdomain'), request: request('nxdomain', false), settleWithinMs: 8000 },
    },
    {
      title: m.scDnsSilent,
      wait: 1000,
      plan: { id: 'dns-silent', name: unanswered, opts: long('dns-silent'), request: request('dns-silent', false), settleWithinMs: 9000 },
    },
    {
      title: m.scRefused,
      wait: 0,
      plan: { id: 'refused', name: refusedName, opts: long('refused'), request: request('refused', false), settleWithinMs: 8000 },
      faults: [{ id: 'refuse', kind: 'reject-tcp-reset', match: { proto: 'tcp', port: port('refused'), synOnly: true } }],
    },
    {
      title: m.scUnreachable,
      wait: 0,
      plan: { id: 'unreachable', opts: long('unreachable'), request: request('unreachable', false), settleWithinMs: 8000 },
      faults: [{ id: 'unreachable', kind: 'reject-icmp', icmp: 'host-unreachable', match: { proto: 'tcp', port: port('unreachable'), synOnly: true } }],
    },
    {
      title: m.scDropSyn,
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
      title: m.scWriteReset,
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
      title: m.scReadReset,
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
      title: m.scSilent,
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
function outcome(ev: StagesEvidence): Localized {
  if (eventOf(ev.learner, 'missing-export') || eventOf(ev.learner, 'crash')) return describeProcessText(ev.learner)!;
  const s = settledOf(ev);
  const call = callOf(ev);
  const elapsed = s && call ? ms(s.t - call.t) : '';
  if (!s) return describeProcessText(ev.learner) ?? m.pending;
  if (s.how === 'threw') return m.threw(errorSummaryText(s.error));
  if (s.how === 'rejected') return m.rejected({ elapsed, error: errorSummaryText(s.error) });
  const v = s.value as Value;
  if (v.kind !== 'object') return m.resolvedNotObject({ elapsed, kind: String(v.kind), value: JSON.stringify(v.value ?? null) });
  if (v.ok === true) return m.resolvedOk({ elapsed, replyLength: v.replyLength });
  return m.resolvedFailure({ elapsed, ok: String(v.ok), stage: JSON.stringify(v.stage ?? null), code: JSON.stringify(v.code ?? null) });
}

const never = m.never;

/** Judges a failure outcome: resolved, { ok: false, stage, code } with one of `codes`. */
function failsOn(ev: StagesEvidence, what: Localized, stage: string, codes: string[], advice: Localized): Verdict {
  const s = settledOf(ev);
  const want = m.want({ stage, codes });
  if (!s) return fail(m.notSettled({ what, outcome: outcome(ev), want, advice }));
  if (s.how !== 'resolved') return fail(m.notResolved({ what, outcome: outcome(ev), never, want }));
  const v = s.value as Value;
  if (v.kind !== 'object' || v.ok !== false) return fail(m.notFailure({ what, outcome: outcome(ev), want }));
  if (v.stage !== stage) return fail(m.wrongStage({ what, outcome: outcome(ev), stage, want, advice }));
  if (!codes.includes(String(v.code))) {
    return fail(m.wrongCode({ what, outcome: outcome(ev), codes, advice }));
  }
  return pass(m.failureOk({ what, outcome: outcome(ev) }));
}

/** The peer's first sign that the client closed: its FIN, its RST, or the close. */
function peerSawClose(ev: StagesEvidence): AgentEvent | undefined {
  return ev.peerEvents.find((e) => e.type === 'end' || e.type === 'error' || (e.type === 'close' && !ev.peerEvents.some((r) => r.type === 'reset')));
}

function okWith(ev: StagesEvidence, what: Localized): Verdict {
  const s = settledOf(ev);
  if (!peerEvent(ev, 'accept')) return fail(m.okNoAccept({ what, port: ev.port, outcome: outcome(ev) }));
  const req = peerEvent(ev, 'request');
  if (!req) return fail(m.okNoRequest({ what, bytes: ev.requestBytes, outcome: outcome(ev) }));
  if (!req.match) return fail(m.okWrongRequest({ what, bytes: String(req.bytes) }));
  if (!s || s.how !== 'resolved') return fail(m.okNotResolved({ what, outcome: outcome(ev) }));
  const v = s.value as Value;
  if (v.kind !== 'object' || v.ok !== true) return fail(m.okNotOkTrue({ what, outcome: outcome(ev) }));
  const reply = ev.reply!;
  const expect = reply.length <= 16000 ? reply : reply.slice(0, 8000) + reply.slice(-8000);
  if (v.replyLength !== reply.length || v.reply !== expect) {
    return fail(m.okReplyDiffers({ what, length: reply.length, got: v.replyLength === undefined ? m.noStringReply : m.differentReply(v.replyLength) }));
  }
  const extra = (v.keys ?? []).filter((k) => k !== 'ok' && k !== 'reply');
  if (extra.length) return fail(m.okExtraFields({ what, fields: extra }));
  return pass(m.okOk({ what, length: reply.length }));
}

const checks = [
  kit.check({
    id: 'ok-by-name',
    category: 'correctness',
    title: m.tOkByName,
    points: 2,
    needs: ['name-ok'],
    judge(e) {
      const ev = e.evidence('name-ok');
      const asked = ev.dnsEvents.some((q) => q.type === 'query' && q.name === ev.host.toLowerCase());
      const v = okWith(ev, m.whatHost(ev.host));
      if (v.pass && !asked) return fail(m.notAsked(ev.host));
      return v;
    },
  }),
  kit.check({
    id: 'ok-by-ip',
    category: 'correctness',
    title: m.tOkByIp,
    points: 1,
    needs: ['ip-ok'],
    judge: (e) => okWith(e.evidence('ip-ok'), m.whatHost(e.evidence('ip-ok').host)),
  }),
  kit.check({
    id: 'lookup-enotfound',
    category: 'error-handling',
    title: m.tLookupNotFound,
    points: 2,
    needs: ['nxdomain'],
    judge: (e) =>
      failsOn(e.evidence('nxdomain'), m.whatNxdomain(e.evidence('nxdomain').host), 'lookup', ['ENOTFOUND'], m.adviceLookup),
  }),
  kit.check({
    id: 'lookup-eai-again',
    category: 'error-handling',
    title: m.tLookupEaiAgain,
    points: 1,
    needs: ['dns-silent'],
    judge: (e) =>
      failsOn(e.evidence('dns-silent'), m.whatDnsSilent(e.evidence('dns-silent').host), 'lookup', ['EAI_AGAIN'], m.adviceEaiAgain),
  }),
  kit.check({
    id: 'connect-refused',
    category: 'error-handling',
    title: m.tConnectRefused,
    points: 1,
    needs: ['refused'],
    judge: (e) => failsOn(e.evidence('refused'), m.whatRefused, 'connect', ['ECONNREFUSED'], m.adviceConnectStage),
  }),
  kit.check({
    id: 'connect-unreachable',
    category: 'error-handling',
    title: m.tConnectUnreachable,
    points: 1,
    needs: ['unreachable'],
    judge: (e) => failsOn(e.evidence('unreachable'), m.whatUnreachable, 'connect', ['EHOSTUNREACH'], m.adviceConnectStage),
  }),
  kit.check({
    id: 'write-stage-reset',
    category: 'error-handling',
    title: m.tWriteReset,
    points: 2,
    needs: ['write-reset'],
    judge(e) {
      const ev = e.evidence('write-reset');
      const reset = peerEvent(ev, 'reset');
      if (!peerEvent(ev, 'accept')) return fail(m.writeNoAccept({ port: ev.port, outcome: outcome(ev) }));
      const what = m.whatWriteReset({ bytes: ev.requestBytes, after: reset && peerEvent(ev, 'accept') ? ms(reset.t - peerEvent(ev, 'accept')!.t) : '' });
      return failsOn(ev, what, 'write', ['EPIPE', 'ECONNRESET'], m.adviceWrite);
    },
  }),
  kit.check({
    id: 'read-stage-reset',
    category: 'error-handling',
    title: m.tReadReset,
    points: 2,
    needs: ['read-reset'],
    judge(e) {
      const ev = e.evidence('read-reset');
      if (!peerEvent(ev, 'request')) return fail(m.readNoRequest(outcome(ev)));
      return failsOn(ev, m.whatReadReset, 'read', ['ECONNRESET'], m.adviceRead);
    },
  }),
  kit.check({
    id: 'connect-timeout',
    category: 'timeouts',
    title: m.tConnectTimeout,
    points: 2,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const v = failsOn(ev, m.whatDropSyn, 'connect', ['ETIMEDOUT'], m.adviceConnectTimer);
      if (!v.pass) return v;
      const t = settledOf(ev)!.t - callOf(ev)!.t;
      const { connectMs } = ev.opts;
      if (t < connectMs - 5) return fail(m.connectTooEarly({ elapsed: ms(t), connectMs: ms(connectMs) }));
      if (t > connectMs + lateMs) return fail(m.connectTooLate({ elapsed: ms(t), connectMs: ms(connectMs) }));
      return pass(m.connectOk({ elapsed: ms(t), connectMs: ms(connectMs) }));
    },
  }),
  kit.check({
    id: 'idle-timeout',
    category: 'timeouts',
    title: m.tIdleTimeout,
    points: 2,
    needs: ['silent'],
    judge(e) {
      const ev = e.evidence('silent');
      const req = peerEvent(ev, 'request');
      if (!req) return fail(m.idleNoRequest({ bytes: ev.requestBytes, outcome: outcome(ev) }));
      const v = failsOn(ev, m.whatSilent, 'idle', ['ETIMEDOUT'], m.adviceIdle);
      if (!v.pass) return v;
      // From the peer's record of the whole request to the outcome (the runner's signed record, the same clock). Not the peer's
      // view of the close: a client that half-closed once its request was written sent its FIN then, and its later close sends nothing.
      const t = settledOf(ev)!.t - req.t;
      const { idleMs } = ev.opts;
      if (t < idleMs - idleEarlyMs) {
        return fail(m.idleTooEarly({ opened: ms(req.t - peerEvent(ev, 'accept')!.t), held: ms(ev.holdMs ?? 0), after: ms(t), idleMs: ms(idleMs) }));
      }
      if (t > idleMs + lateMs) return fail(m.idleTooLate({ after: ms(t), idleMs: ms(idleMs) }));
      return pass(m.idleOk({ after: ms(t), idleMs: ms(idleMs) }));
    },
  }),
  kit.check({
    id: 'never-rejects',
    category: 'error-handling',
    title: m.tNeverRejects,
    points: 1,
    needs: ids,
    judge(e) {
      for (const id of ids) {
        const s = settledOf(e.evidence(id));
        if (s && s.how !== 'resolved') return fail(m.rejectedIn({ id, outcome: outcome(e.evidence(id)), never }));
      }
      const settled = ids.filter((id) => settledOf(e.evidence(id)));
      if (settled.length === 0) return fail(m.settledNowhere(outcome(e.evidence('name-ok'))));
      return pass(m.neverOk({ settled: settled.length, total: ids.length }));
    },
  }),
  kit.check({
    id: 'no-syn-after-timeout',
    category: 'resources',
    title: m.tNoSyn,
    points: 1,
    needs: ['drop-syn'],
    judge(e) {
      const ev = e.evidence('drop-syn');
      const syns = synsFrom(ev.learner.wire, ev.learnerAddress, ev.port);
      const s = settledOf(ev);
      if (syns.length === 0) return fail(m.noSyn(outcome(ev)));
      if (!s) return fail(m.synsNoOutcome({ syns: syns.length, outcome: outcome(ev) }));
      const late = syns.filter((x) => x.t > s.t + 100);
      if (late.length > 0) {
        return fail(m.keptConnecting({ late: late.length, last: ms(late[late.length - 1]!.t - s.t) }));
      }
      return pass(m.synOk(syns.length));
    },
  }),
  kit.check({
    id: 'closes-after-idle',
    category: 'resources',
    title: m.tClosesIdle,
    points: 1,
    needs: ['silent'],
    judge(e) {
      const ev = e.evidence('silent');
      const s = settledOf(ev);
      if (!s) return fail(m.silentNoOutcome(outcome(ev)));
      if (!peerEvent(ev, 'accept')) return fail(m.closeNoConnection(outcome(ev)));
      const closed = peerSawClose(ev);
      if (!closed || closed.t > s.t + closeWithinMs) {
        return fail(m.stayedOpen(closed ? m.closedOnlyAfter(ms(closed.t - s.t)) : m.closedNotAtAll));
      }
      const how = closed.type === 'end' ? m.howFin : closed.type === 'error' ? m.howReset(String(closed.code)) : m.howClose;
      return pass(m.closedOk({ how, after: ms(Math.max(0, closed.t - s.t)) }));
    },
  }),
  kit.check({
    id: 'nothing-left-behind',
    category: 'resources',
    title: m.tNothingLeft,
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
          const held = exit && !exit.killedByHarness ? ms(exit.t - s.t) : m.heldUntilStopped(ms(lingerLimitMs));
          return fail(m.lingered({ id, outcome: outcome(ev), held, connectMs: ms(ev.opts.connectMs), idleMs: ms(ev.opts.idleMs) }));
        }
      }
      if (judged === 0) return fail(m.resolvedNowhere(outcome(e.evidence('name-ok'))));
      return pass(m.exitedOk(judged));
    },
  }),
];

export default {
  id: 'error-stages',
  title: m.title.en,
  part: m.part.en,
  vi: { title: m.title.vi, part: m.part.vi },
  kind: 'module',
  runner: runnerFile,
  peers: { server: peerFile, dns: dnsFile },
  scenarios,
  checks,
} satisfies ExerciseDef;
