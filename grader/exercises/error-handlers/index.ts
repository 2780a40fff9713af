/**
 * error-handlers (Part 10, "Always attach an error handler"): an echo server
 * that survives its clients. Graded from what peer clients on the far side of
 * the router received, from the router's view of the resets, from whether the
 * learner's process was still alive, and from its stderr (the only thing the
 * learner's code says about itself that is read: the catalogue asks for it).
 */
import type { Lab } from '../../../harness/lab.ts';
import type { AgentEvent, LabProcess } from '../../../harness/process.ts';
import { errorSummaryText, firstErrorLine, ms } from '../../evidence.ts';
import { describeProcessText, eventOf, exerciseKit, fail, observe, pass, runProgram, startPeer, waitUntil, type ProcessRecord } from '../../kit/index.ts';
import type { ExerciseDef, Scenario, ScenarioContext, Verdict } from '../../types.ts';
import type { Draws } from '../../draws.ts';
import { join, same, type Localized } from '../../i18n.ts';
import { m } from './messages.ts';
import { nowMs } from '../../../harness/clock.ts';
import type { RunnerConfig } from './runner.ts';

const runnerFile = new URL('./runner.ts', import.meta.url).pathname;
const clientFile = new URL('../../../harness/peers/tcp-client.ts', import.meta.url).pathname;

/**
 * What each run draws (grader/draws.ts): the port of every scenario (distinct,
 * 20000–60000), how each scenario hands startEchoServer its host (none,
 * '0.0.0.0', or the learner's address: the port-in-use scenario cannot be told
 * from the others by its arguments), and the byte pattern each client sends.
 */
export const ranges = { port: [20000, 60000], patternSeed: [1, 250] } as const;
type HostForm = 'none' | 'any' | 'own';
const hostForms: readonly HostForm[] = ['none', 'any', 'own'];

interface ScenarioPlan {
  port: number;
  host: HostForm;
  /** Seeds of the clients' byte patterns. */
  seeds: number[];
}

function hostArg(ctx: ScenarioContext, form: HostForm): string | null {
  return form === 'none' ? null : form === 'any' ? '0.0.0.0' : ctx.lab.addresses.learner;
}

/** Socket error codes a dying client can cause on the server: the course names the first two. */
const socketErrorCodes = ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT'];

/** Everything one scenario left behind. */
export interface ServeEvidence {
  port: number;
  learnerAddress: string;
  clientAddress: string;
  /** The runner's report of how startEchoServer's promise settled (null: it never did). */
  settled: AgentEvent | null;
  /** The learner's process as it stood at the end (left running: the lab's close stops it). */
  learner: ProcessRecord;
  /** Results of the peer client's steps, by step name. */
  steps: Record<string, AgentEvent | null>;
  /** For fault scenarios: the fault happened (the client reset; the router's counter and trace add detail). */
  faultSeen?: boolean;
  faultDetail?: Localized;
  /** When the fault was set off (grader's clock); null: no fault in this scenario, or it never came. */
  faultAt: number | null;
  /** Stderr that arrived after faultAt: what the program said about the fault. */
  stderrAfterFault: string;
}

interface Session {
  lab: Lab;
  learner: LabProcess;
  client: LabProcess;
  /** The evidence so far: the learner's record is taken at the end. */
  ev: Omit<ServeEvidence, 'learner' | 'stderrAfterFault'>;
  seeds: number[];
  echoes: number;
}

const settleLimitMs = 6000;

async function startSession(ctx: ScenarioContext, plan: ScenarioPlan, occupy = false): Promise<Session> {
  const cfg: RunnerConfig = { port: plan.port, host: hostArg(ctx, plan.host), occupy };
  const { lab } = ctx;
  const [learner, client] = await Promise.all([runProgram(ctx, { config: cfg }, { wallMs: 20_000 }), startPeer(ctx, 'client', { ready: 'ready' })]);
  const settled = await learner.waitFor('settled', settleLimitMs);
  const ev: Session['ev'] = {
    port: cfg.port,
    learnerAddress: lab.addresses.learner,
    clientAddress: lab.addresses.peers.client!,
    settled,
    steps: {},
    faultAt: null,
  };
  return { lab, learner, client, ev, seeds: plan.seeds, echoes: 0 };
}

/** Reads the learner's final state; the lab's close() kills what is left. */
async function finish(s: Session): Promise<ServeEvidence> {
  const { ev, learner, lab } = s;
  return {
    ...ev,
    learner: await observe(lab, learner, { keepRunning: true }),
    stderrAfterFault: ev.faultAt === null ? '' : learner.stderrSince(ev.faultAt).slice(0, 4000),
  };
}

async function open(s: Session, tag: string, retryRefusedMs = 0): Promise<AgentEvent | null> {
  s.client.send({ cmd: 'open', tag, host: s.ev.learnerAddress, port: s.ev.port, retryRefusedMs });
  const got = await s.client.waitFor('open', 5000 + retryRefusedMs, (e) => e.tag === tag);
  s.ev.steps[`open:${tag}`] = got;
  return got;
}

async function echo(s: Session, tag: string, id: string, chunks: number[], gapMs = 0, timeoutMs = 4000): Promise<AgentEvent | null> {
  // Each echo's bytes follow a pattern of its own, drawn per run.
  const seed = s.seeds[s.echoes++ % s.seeds.length]!;
  s.client.send({ cmd: 'echo', tag, id, chunks, gapMs, timeoutMs, seed });
  const got = await s.client.waitFor('echo', timeoutMs + 2000, (e) => e.id === id);
  s.ev.steps[id] = got;
  return got;
}

/** Opens a connection and echoes over it; the connection stays open under `tag`. */
/**
 * First connections retry refusals for a moment (retryRefusedMs): a server that resolved before
 * it listened is judged by 'resolves-when-listening' alone, not by every scenario that follows.
 */
async function openAndEcho(s: Session, tag: string, id: string, chunks: number[], gapMs = 0, retryRefusedMs = 0): Promise<AgentEvent | null> {
  const opened = await open(s, tag, retryRefusedMs);
  if (!opened?.ok) {
    s.ev.steps[id] = { t: 0, type: 'echo', ok: false, reason: opened ? `connect failed with ${String(opened.code)}` : 'connect never finished' };
    return s.ev.steps[id]!;
  }
  return echo(s, tag, id, chunks, gapMs);
}

const served = (s: Session): boolean => s.ev.settled?.outcome === 'resolved';

/** A crash happens within milliseconds of the error; this much quiet afterwards means it survived. */
const crashWindowMs = 500;

/**
 * Waits for the client's report that it reset 'victim' (the RST leaves with the close() call),
 * then for the RST on the router's trace, which only adds to the evidence: the trace may lag.
 */
async function clientResets(s: Session, lab: Lab, detail: Localized): Promise<void> {
  const done = await s.client.waitFor('reset', 5000, (e) => e.tag === 'victim');
  if (!done) throw new Error(`the client peer did not reset its connection: ${s.client.stderr}`);
  const rst = (): boolean => lab.wire().some((w) => w.src === s.ev.clientAddress && w.dport === s.ev.port && w.flags.includes('rst'));
  const seen = await waitUntil(rst, 1500);
  s.ev.faultSeen = true;
  s.ev.faultDetail = join(detail, seen ? m.rstCrossed : '');
}

/** After a fault: is the process still up, and does a new client get its echo? */
async function afterFault(s: Session): Promise<void> {
  await s.learner.waitExit(crashWindowMs);
  // One segment, one 'data' event: this step judges survival, not echoing (echoes-every-byte does).
  await openAndEcho(s, 'fresh', 'fresh', [1000]);
  // A crash that comes late (e.g. a second error on the dead socket) still counts.
  await s.learner.waitExit(200);
  // What the program says about the fault may trail it on a loaded machine: give it a moment to arrive
  // (a program that reports nothing waits this out, one that reported already does not).
  const since = s.ev.faultAt ?? 0;
  await waitUntil(() => codesIn(s.learner.stderrSince(since)).length > 0 || !s.learner.running, 1000);
}

type Evidence = Record<'echo' | 'client-reset' | 'client-vanishes' | 'port-in-use', ServeEvidence>;
const kit = exerciseKit<Evidence>();

function scenarios(draws: Draws): Scenario<ServeEvidence>[] {
  const [echoPort, resetPort, vanishPort, busyPort] = draws.distinct('ports', 4, ...ranges.port);
  const plan = (id: string, port: number, echoes: number, forms: readonly HostForm[] = hostForms): ScenarioPlan => ({
    port,
    host: draws.pick(`${id}.host`, forms),
    seeds: Array.from({ length: echoes }, (_, i) => draws.int(`${id}.pattern${i}`, ...ranges.patternSeed)),
  });
  const plans = {
    // With a host, listen() looks it up first and listens a tick later: only then does a promise
    // resolved right after listen() find the server not yet listening, as the first check needs.
    echo: plan('echo', echoPort!, 2, ['any', 'own']),
    reset: plan('client-reset', resetPort!, 2),
    vanish: plan('client-vanishes', vanishPort!, 2),
    busy: plan('port-in-use', busyPort!, 0),
  };
  return [
  kit.scenario({
    id: 'echo',
    title: m.scEcho,
    lab: { peers: ['client'] },
    inherentWaitMs: 0,
    deadlineMs: 25_000,
    async run(ctx) {
      const s = await startSession(ctx, plans.echo);
      if (served(s)) {
        // A server that resolved too early refuses for a moment: retry refusals briefly, the
        // 'resolves-when-listening' check judges that separately.
        await Promise.all([
          openAndEcho(s, 'a', 'chunks', [1, 1000, 16384, 3, 65536, 200_000], 30, 1500),
          openAndEcho(s, 'b', 'big', [1 << 20], 0, 1500),
        ]);
      }
      return finish(s);
    },
  }),
  kit.scenario({
    id: 'client-reset',
    title: m.scClientReset,
    lab: { peers: ['client'] },
    // The crash window, the late-crash wait, and the reset's wait for an echo (when none comes).
    inherentWaitMs: crashWindowMs + 200 + 300,
    deadlineMs: 25_000,
    async run(ctx) {
      const s = await startSession(ctx, plans.reset);
      if (!served(s)) return finish(s);
      const first = await openAndEcho(s, 'victim', 'victim', [200], 0, 1500);
      if (!first?.ok) return finish(s);
      // Data in flight, then RST as soon as the echo starts coming back: the server is mid-stream.
      s.ev.faultAt = nowMs();
      s.client.send({ cmd: 'reset', tag: 'victim', preBytes: 64 * 1024, waitEchoMs: 300 });
      await clientResets(s, ctx.lab, m.faultReset);
      await afterFault(s);
      return finish(s);
    },
  }),
  kit.scenario({
    id: 'client-vanishes',
    title: m.scClientVanishes,
    lab: { peers: ['client'] },
    // The crash window, the late-crash wait, and the flood's stall detection.
    inherentWaitMs: crashWindowMs + 200 + 300,
    deadlineMs: 25_000,
    async run(ctx) {
      const s = await startSession(ctx, plans.vanish);
      if (!served(s)) return finish(s);
      const first = await openAndEcho(s, 'victim', 'victim', [200], 0, 1500);
      const localPort = s.ev.steps['open:victim']?.localPort as number | undefined;
      if (!first?.ok || !localPort) return finish(s);
      // The client stops reading and keeps sending: the server's echo backs up in its buffers.
      s.ev.faultAt = nowMs();
      s.client.send({ cmd: 'flood', tag: 'victim', bytes: 8 << 20, untilFlushed: 2 << 20, stallMs: 300 });
      s.ev.steps.flooded = await s.client.waitFor('flooded', 8000, (e) => e.tag === 'victim');
      // Then the client is gone: every packet the server sends it is answered with a reset by the
      // router, as a host that lost the connection (or a middlebox) would.
      await ctx.lab.addFault({
        id: 'vanish',
        kind: 'reject-tcp-reset',
        match: { proto: 'tcp', direction: 'from-learner', sourcePort: s.ev.port, port: localPort },
      });
      // Open the client's window again, so the server's next write goes out now rather than at its
      // next zero-window probe: that write meets the reset.
      s.client.send({ cmd: 'resume', tag: 'victim' });
      let rejected = 0;
      const hit = await waitUntil(async () => {
        rejected = (await ctx.lab.counters()).vanish?.packets ?? 0;
        return rejected > 0;
      }, 1500, 50);
      // The client's host is gone too: it resets the connection. For a server whose writes already
      // met the router's reset this changes nothing; one that sent nothing more (it was not echoing
      // the flood: the echo check judges that), or took the router's reset as stale, learns it now.
      s.client.send({ cmd: 'reset', tag: 'victim' });
      await clientResets(
        s,
        ctx.lab,
        hit ? m.faultRouterReset(rejected) : m.faultQuiet,
      );
      await afterFault(s);
      return finish(s);
    },
  }),
  kit.scenario({
    id: 'port-in-use',
    title: m.scPortInUse,
    lab: { peers: ['client'] },
    inherentWaitMs: crashWindowMs,
    deadlineMs: 25_000,
    async run(ctx) {
      const s = await startSession(ctx, plans.busy, true);
      if (!s.learner.events.some((e) => e.type === 'occupied') && s.learner.events.some((e) => e.type === 'occupy-failed')) {
        throw new Error('the runner could not take the port first');
      }
      await s.learner.waitExit(crashWindowMs);
      return finish(s);
    },
  }),
  ];
}

const crashOf = (ev: ServeEvidence): AgentEvent | undefined => eventOf(ev.learner, 'crash');

/** How startEchoServer's promise ended, in a phrase. */
function settledPhrase(ev: ServeEvidence): Localized {
  const st = ev.settled;
  const { exit, stderr } = ev.learner;
  if (eventOf(ev.learner, 'missing-export')) return describeProcessText(ev.learner)!;
  if (st?.outcome === 'rejected') return m.settledRejected(errorSummaryText(st.error));
  if (st?.outcome === 'resolved') return m.settledResolved;
  const crash = crashOf(ev);
  if (crash) return m.crashedBeforeSettled(errorSummaryText(crash.error));
  if (exit) return m.exitedBeforeSettled({ code: String(exit.code), line: firstErrorLine(stderr) });
  return m.settledPending(ms(settleLimitMs));
}

/** How the process ended, in a phrase (null when it was still running). */
function deathPhrase(ev: ServeEvidence): Localized | null {
  const crash = crashOf(ev);
  const { exit, stderr } = ev.learner;
  if (crash) return m.diedUncaught((crash.error as { code?: string })?.code ?? errorSummaryText(crash.error));
  if (exit) return m.diedExited({ code: String(exit.code), signal: exit.signal ? String(exit.signal) : '', line: firstErrorLine(stderr) });
  return null;
}

/** The client peer's reasons for a failed step (harness/peers/tcp-client.ts, openAndEcho above), in words. */
const peerReasons: Record<string, Localized> = {
  'not connected': m.reasonNotConnected,
  'more bytes came back than were sent': m.reasonTooMany,
  'bytes came back changed': m.reasonChanged,
  'the connection closed': m.reasonClosed,
  timeout: m.reasonTimeout,
  'connect never finished': m.reasonConnectNeverFinished,
};
const connectFailed = 'connect failed with ';

function reasonText(reason: string): Localized {
  if (Object.hasOwn(peerReasons, reason)) return peerReasons[reason]!;
  if (reason.startsWith(connectFailed)) return m.reasonConnectFailed(reason.slice(connectFailed.length));
  return same(reason);
}

function echoPhrase(step: AgentEvent | null | undefined): Localized {
  if (!step) return m.echoNeverFinished;
  if (step.ok) return m.echoAll;
  const counts = typeof step.received === 'number' && typeof step.expected === 'number';
  if (step.reason === 'timeout' && counts) return m.echoPartial({ received: String(step.received), expected: String(step.expected), within: ms(Number(step.ms)) });
  const reason = step.reason == null ? m.echoFailedDefault : reasonText(String(step.reason));
  return counts ? m.echoFailedCounts({ reason, received: String(step.received), expected: String(step.expected) }) : reason;
}

/** The verdict of a fault scenario: served before, still up after, serving new and existing clients. */
function survives(ev: ServeEvidence, what: Localized, fix: Localized): Verdict {
  if (ev.settled?.outcome !== 'resolved') return fail(m.notServedNothingTested(settledPhrase(ev)));
  const victim = ev.steps.victim;
  if (!victim?.ok) return fail(m.firstNotEchoed({ echo: echoPhrase(victim), what }));
  const death = deathPhrase(ev);
  if (death) return fail(m.diedAfterFault({ what, death, fix }));
  const fresh = ev.steps.fresh;
  if (!fresh?.ok) {
    return fail(m.freshNotServed({ what, echo: echoPhrase(fresh) }));
  }
  return pass(m.survivedOk(ev.faultDetail!));
}

function codesIn(text: string): string[] {
  return socketErrorCodes.filter((c) => text.includes(c));
}

const checks = [
  kit.check({
    id: 'resolves-when-listening',
    category: 'correctness',
    title: m.tResolves,
    points: 1,
    needs: ['echo'],
    judge(e) {
      const ev = e.evidence('echo');
      const st = ev.settled;
      if (st?.outcome !== 'resolved') return fail(m.notResolved(settledPhrase(ev)));
      if (!st.isServer) return fail(m.notServer);
      if (!st.listening) {
        return fail(m.notYetListening);
      }
      if (st.port !== ev.port) return fail(m.wrongPort({ port: String(st.port), given: ev.port }));
      return pass(m.listeningOk(String(st.port)));
    },
  }),
  kit.check({
    id: 'echoes-every-byte',
    category: 'correctness',
    title: m.tEchoes,
    points: 2,
    needs: ['echo'],
    judge(e) {
      const ev = e.evidence('echo');
      if (ev.settled?.outcome !== 'resolved') return fail(m.notServed(settledPhrase(ev)));
      const death = deathPhrase(ev);
      const chunks = ev.steps.chunks;
      const big = ev.steps.big;
      const refused = [chunks, big].find((x) => typeof x?.reason === 'string' && x.reason.includes('ECONNREFUSED'));
      if (refused) {
        return fail(m.cannotConnect({ address: ev.learnerAddress, port: ev.port, reason: reasonText(String(refused.reason)) }));
      }
      if (!chunks?.ok) {
        return fail(m.chunksFailed({ echo: echoPhrase(chunks), death: death ?? '' }));
      }
      if (!big?.ok) return fail(m.bigFailed({ echo: echoPhrase(big), death: death ?? '' }));
      return pass(m.echoesOk);
    },
  }),
  kit.check({
    id: 'survives-client-reset',
    category: 'error-handling',
    title: m.tSurvivesReset,
    points: 2,
    needs: ['client-reset'],
    judge: (e) =>
      survives(e.evidence('client-reset'), m.whatReset, m.fixReset),
  }),
  kit.check({
    id: 'survives-vanished-client',
    category: 'error-handling',
    title: m.tSurvivesVanished,
    points: 2,
    needs: ['client-vanishes'],
    judge: (e) =>
      survives(e.evidence('client-vanishes'), m.whatVanished, m.fixVanished),
  }),
  kit.check({
    id: 'port-in-use-rejects',
    category: 'error-handling',
    title: m.tPortInUse,
    points: 2,
    needs: ['port-in-use'],
    judge(e) {
      const ev = e.evidence('port-in-use');
      const st = ev.settled;
      const err = st?.error as { code?: string; message?: string } | undefined;
      if (st?.outcome === 'rejected' && err?.code === 'EADDRINUSE') {
        const death = deathPhrase(ev);
        if (death) return fail(m.rejectedThenDied(death));
        return pass(m.inUseOk);
      }
      if (!st && crashOf(ev)) {
        return fail(m.crashedInsteadOfRejecting(deathPhrase(ev)!));
      }
      if (st?.outcome === 'resolved') {
        return fail(m.resolvedOnBusyPort);
      }
      if (st?.outcome === 'rejected' && typeof err?.message === 'string' && err.message.includes('EADDRINUSE')) {
        return fail(m.codeLost({ error: errorSummaryText(err), code: err.code ?? '' }));
      }
      return fail(m.busyOther(settledPhrase(ev)));
    },
  }),
  kit.check({
    id: 'reports-socket-errors',
    category: 'error-handling',
    title: m.tReports,
    points: 1,
    needs: ['client-reset', 'client-vanishes'],
    judge(e) {
      const found: Localized[] = [];
      for (const [id, what] of [
        ['client-reset', m.whenReset],
        ['client-vanishes', m.whenVanished],
      ] as const) {
        const ev = e.evidence(id);
        if (ev.settled?.outcome !== 'resolved') return fail(m.noErrorsToReport(settledPhrase(ev)));
        if (!ev.faultSeen) {
          return fail(m.firstNotEchoedNoError(echoPhrase(ev.steps.victim)));
        }
        // Only what reached stderr after the fault counts: codes printed before it describe no error.
        const codes = codesIn(ev.stderrAfterFault);
        if (codes.length > 0) {
          found.push(m.foundCodes({ what, codes: codes.join(', ') }));
          continue;
        }
        const death = deathPhrase(ev);
        if (crashOf(ev)) {
          return fail(m.crashedInsteadOfReporting({ what, death: death! }));
        }
        const early = codesIn(ev.learner.stderr);
        if (early.length > 0 && codesIn(ev.stderrAfterFault).length === 0) {
          return fail(m.reportedTooEarly({ what, early: early.join(', ') }));
        }
        if (codesIn(ev.learner.stdout).length > 0) {
          return fail(m.reportedOnStdout(what));
        }
        return fail(m.notReported({ what, expected: socketErrorCodes.slice(0, 2) }));
      }
      return pass(m.reportedOk(found));
    },
  }),
];

const exercise: ExerciseDef = {
  id: 'error-handlers',
  title: m.title.en,
  part: m.part.en,
  vi: { title: m.title.vi, part: m.part.vi },
  kind: 'module',
  runner: runnerFile,
  peers: { client: clientFile },
  scenarios,
  checks,
};

export default exercise;
