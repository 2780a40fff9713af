/**
 * error-handlers (Part 10, "Always attach an error handler"): an echo server
 * that survives its clients. Graded from what peer clients on the far side of
 * the router received, from the router's view of the resets, from whether the
 * learner's process was still alive, and from its stderr (the only thing the
 * learner's code says about itself that is read: the catalogue asks for it).
 */
import type { Lab } from '../../../harness/lab.ts';
import type { AgentEvent, LabProcess } from '../../../harness/process.ts';
import { errorSummary, firstErrorLine, ms } from '../../evidence.ts';
import { describeProcess, eventOf, exerciseKit, fail, observe, pass, runProgram, startPeer, waitUntil, type ProcessRecord } from '../../kit/index.ts';
import type { ExerciseDef, Scenario, ScenarioContext, Verdict } from '../../types.ts';
import type { Draws } from '../../draws.ts';
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
  faultDetail?: string;
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
async function clientResets(s: Session, lab: Lab, detail: string): Promise<void> {
  const done = await s.client.waitFor('reset', 5000, (e) => e.tag === 'victim');
  if (!done) throw new Error(`the client peer did not reset its connection: ${s.client.stderr}`);
  const rst = (): boolean => lab.wire().some((w) => w.src === s.ev.clientAddress && w.dport === s.ev.port && w.flags.includes('rst'));
  const seen = await waitUntil(rst, 1500);
  s.ev.faultSeen = true;
  s.ev.faultDetail = `${detail}${seen ? ' (the RST crossed the router)' : ''}`;
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
    title: 'two clients echo through the router',
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
    title: 'a client resets its connection mid-stream',
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
      await clientResets(s, ctx.lab, 'the client sent data and reset its connection');
      await afterFault(s);
      return finish(s);
    },
  }),
  kit.scenario({
    id: 'client-vanishes',
    title: 'a client vanishes while the server writes to it',
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
        hit
          ? `the router answered ${rejected} packet(s) of the server's with a reset, then the client reset its end`
          : 'the server sent nothing more to the flooding client, which then reset its connection',
      );
      await afterFault(s);
      return finish(s);
    },
  }),
  kit.scenario({
    id: 'port-in-use',
    title: 'the port is already taken',
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
function settledPhrase(ev: ServeEvidence): string {
  const st = ev.settled;
  const { exit, stderr } = ev.learner;
  if (eventOf(ev.learner, 'missing-export')) return describeProcess(ev.learner)!;
  if (st?.outcome === 'rejected') return `startEchoServer rejected with ${errorSummary(st.error)}`;
  if (st?.outcome === 'resolved') return 'startEchoServer resolved';
  const crash = crashOf(ev);
  if (crash) return `the process crashed before startEchoServer settled (${errorSummary(crash.error)})`;
  if (exit) return `the process exited with code ${exit.code} before startEchoServer settled${firstErrorLine(stderr)}`;
  return `startEchoServer's promise was still pending after ${ms(settleLimitMs)}`;
}

/** How the process ended, in a phrase (null when it was still running). */
function deathPhrase(ev: ServeEvidence): string | null {
  const crash = crashOf(ev);
  const { exit, stderr } = ev.learner;
  if (crash) return `your process exited with an uncaught ${(crash.error as { code?: string })?.code ?? errorSummary(crash.error)}`;
  if (exit) return `your process exited (code ${exit.code}${exit.signal ? `, signal ${exit.signal}` : ''})${firstErrorLine(stderr)}`;
  return null;
}

function echoPhrase(step: AgentEvent | null | undefined): string {
  if (!step) return 'the client never finished';
  if (step.ok) return 'every byte came back';
  const counts = typeof step.received === 'number' && typeof step.expected === 'number';
  if (step.reason === 'timeout' && counts) return `only ${step.received} of ${step.expected} bytes came back within ${ms(Number(step.ms))}`;
  const got = counts ? ` (${step.received} of ${step.expected} bytes had come back)` : '';
  return `${String(step.reason ?? 'the echo failed')}${got}`;
}

/** The verdict of a fault scenario: served before, still up after, serving new and existing clients. */
function survives(ev: ServeEvidence, what: string, fix: string): Verdict {
  if (ev.settled?.outcome !== 'resolved') return fail(`${settledPhrase(ev)}, so no client could be served and nothing could be tested.`);
  const victim = ev.steps.victim;
  if (!victim?.ok) return fail(`the server did not echo to the first client (${echoPhrase(victim)}), so ${what} could not be tested.`);
  const death = deathPhrase(ev);
  if (death) return fail(`${what} and ${death}. ${fix}`);
  const fresh = ev.steps.fresh;
  if (!fresh?.ok) {
    return fail(
      `${what}; your process stayed up, but a new client was not served afterwards: ${echoPhrase(fresh)}. ` +
        `Keep the server listening: only the broken socket should go.`,
    );
  }
  return pass(`${ev.faultDetail}; the process stayed up and a new client was echoed`);
}

function codesIn(text: string): string[] {
  return socketErrorCodes.filter((c) => text.includes(c));
}

const checks = [
  kit.check({
    id: 'resolves-when-listening',
    category: 'correctness',
    title: 'resolves with the server once it is listening',
    points: 1,
    needs: ['echo'],
    judge(e) {
      const ev = e.evidence('echo');
      const st = ev.settled;
      if (st?.outcome !== 'resolved') return fail(`${settledPhrase(ev)}. Resolve with the server from the 'listening' event (or listen()'s callback).`);
      if (!st.isServer) return fail('the promise resolved with something that is not a net.Server: resolve with the server itself.');
      if (!st.listening) {
        return fail("the promise resolved before the server was listening (server.listening was false): resolve from the 'listening' event or listen()'s callback, not right after calling listen().");
      }
      if (st.port !== ev.port) return fail(`the server is listening on port ${String(st.port)}, not on the port it was given (${ev.port}).`);
      return pass(`resolved with a listening server on port ${String(st.port)}`);
    },
  }),
  kit.check({
    id: 'echoes-every-byte',
    category: 'correctness',
    title: 'echoes every byte back, in order, to every client',
    points: 2,
    needs: ['echo'],
    judge(e) {
      const ev = e.evidence('echo');
      if (ev.settled?.outcome !== 'resolved') return fail(`${settledPhrase(ev)}, so no client could be served.`);
      const death = deathPhrase(ev);
      const chunks = ev.steps.chunks;
      const big = ev.steps.big;
      const refused = [chunks, big].find((x) => typeof x?.reason === 'string' && x.reason.includes('ECONNREFUSED'));
      if (refused) {
        return fail(
          `a client on another host could not connect to ${ev.learnerAddress}:${ev.port} (${String(refused.reason)}). ` +
            `Listen on the port and host you are given (with no host, on every interface).`,
        );
      }
      if (!chunks?.ok) {
        return fail(
          `a client sent six chunks (1 B to 200 KB, 30 ms apart): ${echoPhrase(chunks)}${death ? `, and ${death}` : ''}. ` +
            `Write back every 'data' chunk (socket.on('data', …), not once), or simply socket.pipe(socket).`,
        );
      }
      if (!big?.ok) return fail(`a client sent 1 MiB in one write: ${echoPhrase(big)}${death ? `, and ${death}` : ''}.`);
      return pass('two clients at once: six chunks and 1 MiB came back byte for byte');
    },
  }),
  kit.check({
    id: 'survives-client-reset',
    category: 'error-handling',
    title: 'survives a client that resets mid-stream (ECONNRESET) and keeps serving',
    points: 2,
    needs: ['client-reset'],
    judge: (e) =>
      survives(
        e.evidence('client-reset'),
        'a client sent data and then reset its connection (RST)',
        "In Node an 'error' event without a listener is thrown: attach socket.on('error', …) to every accepted socket.",
      ),
  }),
  kit.check({
    id: 'survives-vanished-client',
    category: 'error-handling',
    title: 'survives a client that vanishes while it writes (EPIPE / ECONNRESET) and keeps serving',
    points: 2,
    needs: ['client-vanishes'],
    judge: (e) =>
      survives(
        e.evidence('client-vanishes'),
        'a client stopped reading and vanished while your server was still writing its echo',
        "The failed write surfaces as an 'error' event (EPIPE or ECONNRESET) on that socket: listen for it on every accepted socket, and let the socket go.",
      ),
  }),
  kit.check({
    id: 'port-in-use-rejects',
    category: 'error-handling',
    title: 'port already in use: rejects with the EADDRINUSE error, no crash',
    points: 2,
    needs: ['port-in-use'],
    judge(e) {
      const ev = e.evidence('port-in-use');
      const st = ev.settled;
      const err = st?.error as { code?: string; message?: string } | undefined;
      if (st?.outcome === 'rejected' && err?.code === 'EADDRINUSE') {
        const death = deathPhrase(ev);
        if (death) return fail(`the promise rejected with EADDRINUSE, but then ${death}.`);
        return pass('rejected with EADDRINUSE and the process stayed up');
      }
      if (!st && crashOf(ev)) {
        return fail(
          `the port was taken and ${deathPhrase(ev)} instead of rejecting. listen() reports EADDRINUSE as an 'error' event on the server: ` +
            `listen for it (server.once('error', reject)) before calling listen().`,
        );
      }
      if (st?.outcome === 'resolved') {
        return fail('the port was already taken, yet the promise resolved: wait for \'listening\', and reject when the server emits \'error\' instead.');
      }
      if (st?.outcome === 'rejected' && typeof err?.message === 'string' && err.message.includes('EADDRINUSE')) {
        return fail(
          `the promise rejected with ${errorSummary(err)}: the message mentions EADDRINUSE but err.code is ${err.code ? `'${err.code}'` : 'missing'}. ` +
            `Callers branch on err.code: reject with the server's own error object, unchanged.`,
        );
      }
      return fail(`the port was already taken and ${settledPhrase(ev)}. Expected a rejection with Node's own EADDRINUSE error.`);
    },
  }),
  kit.check({
    id: 'reports-socket-errors',
    category: 'error-handling',
    title: 'reports socket errors with their code on stderr',
    points: 1,
    needs: ['client-reset', 'client-vanishes'],
    judge(e) {
      const found: string[] = [];
      for (const [id, what] of [
        ['client-reset', 'the client reset'],
        ['client-vanishes', 'the client vanished'],
      ] as const) {
        const ev = e.evidence(id);
        if (ev.settled?.outcome !== 'resolved') return fail(`${settledPhrase(ev)}, so there were no socket errors to report.`);
        if (!ev.faultSeen) {
          return fail(`the server did not echo to the first client (${echoPhrase(ev.steps.victim)}), so no client could fail on it and there was no error to report.`);
        }
        // Only what reached stderr after the fault counts: codes printed before it describe no error.
        const codes = codesIn(ev.stderrAfterFault);
        if (codes.length > 0) {
          found.push(`${what}: ${codes.join(', ')}`);
          continue;
        }
        const death = deathPhrase(ev);
        if (crashOf(ev)) {
          return fail(`when ${what}, ${death} — it crashed instead of reporting the error. Log it from the socket's 'error' listener with its code (console.error).`);
        }
        const early = codesIn(ev.learner.stderr);
        if (early.length > 0 && codesIn(ev.stderrAfterFault).length === 0) {
          return fail(
            `when ${what}, nothing your program wrote to stderr after the fault named the error; ${early.join(', ')} appeared only before it. ` +
              `Log the error when it happens, from the socket's 'error' listener: console.error('client socket error:', err.code).`,
          );
        }
        if (codesIn(ev.learner.stdout).length > 0) {
          return fail(`when ${what}, the error code went to stdout, not stderr: report errors with console.error (or console.warn).`);
        }
        return fail(
          `when ${what}, nothing on stderr named the error (expected ${socketErrorCodes.slice(0, 2).join(' or ')}). ` +
            `An empty error handler hides failures: log err.code with some context, e.g. console.error('client socket error:', err.code).`,
        );
      }
      return pass(`stderr named the errors (${found.join('; ')})`);
    },
  }),
];

const exercise: ExerciseDef = {
  id: 'error-handlers',
  title: 'An echo server that survives its clients',
  part: 'Part 10 — Always attach an error handler',
  kind: 'module',
  runner: runnerFile,
  peers: { client: clientFile },
  scenarios,
  checks,
};

export default exercise;
