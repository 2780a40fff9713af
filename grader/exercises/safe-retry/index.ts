/**
 * safe-retry (Part 10, "Only retry idempotent operations"): requestWithRetry
 * retries what is safe to repeat — GET, HEAD, PUT, DELETE and requests with
 * an idempotency key — on connection errors, hung attempts and 500/502/503/504,
 * with capped exponential backoff and jitter; it never repeats a POST or PATCH
 * without a key, never retries a 4xx, and closes a hung attempt's connection.
 * Graded from a scripted HTTP peer (grader/exercises/safe-retry/peer.ts) that
 * records every request it received, on its own clock, with what it did to
 * each (its side effects: a charge is a POST the peer read), from the
 * router's SYN trace, and from how each promise settled.
 */
import type { AgentEvent } from '../../../harness/process.ts';
import { synsFrom } from '../../../harness/wire.ts';
import { errorSummaryText, median, ms, type ErrorShape } from '../../evidence.ts';
import { bootRunner, describeProcessText, eventOf, exerciseKit, fail, letExit, observe, pass, startPeer, type ProcessRecord } from '../../kit/index.ts';
import { join, type Localized, type Text } from '../../i18n.ts';
import { m } from './messages.ts';
import type { Draws } from '../../draws.ts';
import type { ExerciseDef, Scenario, ScenarioContext, Verdict } from '../../types.ts';
import type { Action, Route, SafePeerConfig } from './peer.ts';
import type { CaseConfig, CaseResult, RunnerConfig, SafeRequest, SafeRetryOptions } from './runner.ts';

const runnerFile = new URL('./runner.ts', import.meta.url).pathname;
const peerFile = new URL('./peer.ts', import.meta.url).pathname;

// ── What is drawn ───────────────────────────────────────────────────────────
//
// Ports, paths, keys, request and response bodies, statuses, how many times
// each route fails, maxAttempts, baseDelayMs and attemptTimeoutMs are drawn
// per run (grader/draws.ts). maxDelayMs is always 2 × baseDelayMs, so that
// an uncapped delay stands far above the cap by the fourth wait.

export const ranges = {
  port: [20000, 60000],
  /** The 5xx routes: base delay; maxAttempts of the routes that always fail (4 clients). */
  retryBaseMs: [100, 140],
  failingAttempts: [5, 6],
  /** The clients that show the growth: maxDelayMs 8 × baseDelayMs, so the 4th wait is 8× the first before jitter. */
  growBaseMs: [70, 90],
  recoversAfter: [2, 3],
  unsafeBaseMs: [80, 120],
  /** The hung routes: attempt timeout and a small backoff, so the attempt timeout dominates. */
  attemptTimeoutMs: [400, 600],
  hungBaseMs: [40, 60],
  refusedBaseMs: [80, 120],
  refusals: [2, 3],
  refusedAttempts: [3, 4],
} as const;

/** Path segments, drawn per case and run: a path says nothing of the case. */
const segments = ['items', 'status', 'jobs', 'files', 'feed', 'profiles', 'sessions', 'orders', 'accounts', 'notes', 'tasks', 'reports'] as const;
const serverErrors = [500, 502, 503, 504] as const;
const clientErrors = [400, 403, 404, 409, 422] as const;

/** Waits far from the design's: how late a timed event may come on a busy machine, how soon a close must follow. */
const lateMs = 400;
const earlyMs = 60;
const capSlackMs = 150;
const closeSlackMs = 60;
const closeAfterRejectMs = 400;
const watchMs = 1000;
/** Backing off: the waits between attempts add up to at least this fraction of the nominal delays (full jitter averages 0.5). */
const backoffFloor = 0.2;
/**
 * Growth: of the 16 waits before attempts 4 and 5 of the growth clients (nominal 4× and 8× baseDelayMs), the
 * second largest reaches 2 × baseDelayMs. Full jitter misses that about once in 10^7 runs (simulated), every
 * other standard jitter never does; a delay that never grows needs two waits inflated by 0.7 × baseDelayMs.
 */
const growClients = 8;
const growFactor = 2;

const nominal = (o: SafeRetryOptions, k: number): number => Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (k - 1));
const nominalTotal = (o: SafeRetryOptions, retries: number): number =>
  Array.from({ length: retries }, (_, i) => nominal(o, i + 1)).reduce((a, b) => a + b, 0);

interface CasePlan {
  cfg: CaseConfig;
  route: string;
  script: Action[];
  otherwise: Action;
}

interface ScenarioPlan {
  port: number;
  cases: CasePlan[];
  /** Ports other than the peer's, with no listener (refused by the router). */
  extraPorts?: Record<string, number>;
}

// ── Evidence ────────────────────────────────────────────────────────────────

export interface CaseEvidence extends CasePlan {
  result: CaseResult | undefined;
  /** The peer's 'request' events on this case's route, in order. */
  requests: AgentEvent[];
  /** SYNs from the learner host to this case's port, router times (refused scenario). */
  syns: number[];
}

export interface RunEvidence {
  cases: Record<string, CaseEvidence>;
  /** The peer's events: accept, request, end, error, close. */
  peer: AgentEvent[];
  learner: ProcessRecord;
  /** Why the run told us nothing (missing export, crash); null when it ran through. */
  problem: Text | null;
}

function describeProblem(rec: ProcessRecord): Localized | null {
  const ranThrough = eventOf(rec, 'done') && !eventOf(rec, 'missing-export') && !eventOf(rec, 'crash');
  return ranThrough ? null : (describeProcessText(rec) ?? m.runnerDidNotFinish);
}

async function run(ctx: ScenarioContext, plan: ScenarioPlan, limitMs: number): Promise<RunEvidence> {
  const { lab } = ctx;
  const host = lab.addresses.peers.server!;
  const routes: Record<string, Route> = Object.fromEntries(plan.cases.map((c) => [c.route, { script: c.script, otherwise: c.otherwise }]));
  const peerCfg: SafePeerConfig = { port: plan.port, routes };
  const runner = bootRunner(ctx, { wallMs: limitMs + watchMs + 6000 });
  const peer = await startPeer(ctx, 'server', { config: peerCfg, ready: 'listening' });
  const cases = plan.cases.map((c) => ({ ...c.cfg, req: { ...c.cfg.req, url: c.cfg.req.url.replace('{host}', host) } }));
  const cfg: RunnerConfig = { cases, limitMs, watchMs };
  const proc = await runner.start(cfg);
  await letExit(proc, limitMs + watchMs + 4000);
  const learner = await observe(lab, proc, { exitWithinMs: 3000 });
  const results = learner.events.filter((e) => e.type === 'case').map((e) => e.result as CaseResult);
  const peerEvents = [...peer.events];
  const out: Record<string, CaseEvidence> = {};
  for (const c of plan.cases) {
    const port = Number(new URL(c.cfg.req.url.replace('{host}', host)).port);
    out[c.cfg.id] = {
      ...c,
      result: results.find((r) => r.id === c.cfg.id),
      requests: peerEvents.filter((e) => e.type === 'request' && e.route === c.route),
      syns: synsFrom(learner.wire, lab.addresses.learner, port).map((s) => s.t),
    };
  }
  return { cases: out, peer: peerEvents, learner, problem: describeProblem(learner) };
}

type Evidence = { retryable: RunEvidence; unsafe: RunEvidence; hung: RunEvidence; refused: RunEvidence };
const kit = exerciseKit<Evidence>();

// ── Scenarios ───────────────────────────────────────────────────────────────

const respond = (status: number, body: string): Action => ({ kind: 'respond', status, body });

function drawPlans(draws: Draws) {
  const ports = draws.distinct('ports', 5, ...ranges.port);
  const word = (key: string) => draws.int(key, 100000, 2 ** 31 - 1).toString(36);
  const url = (port: number, path: string) => `http://{host}:${port}${path}`;
  // Each case's path starts with a segment drawn per run, so no path names the case it belongs to.
  const seg = (id: string) => draws.pick(`${id}.segment`, segments);
  const bodyOf = (key: string, what: string) => `${what}:${word(key)}`.repeat(draws.int(`${key}.rep`, 1, 6)) + '\n';
  const code5 = (key: string) => draws.pick(key, serverErrors);

  // Retryable methods against 5xx, resets and a 4xx.
  const rb = draws.int('retryable.baseDelayMs', ...ranges.retryBaseMs);
  const ro = (maxAttempts: number): SafeRetryOptions => ({ maxAttempts, baseDelayMs: rb, maxDelayMs: 2 * rb, attemptTimeoutMs: 2500 });
  const p1 = ports[0]!;
  const gb = draws.int('grows.baseDelayMs', ...ranges.growBaseMs);
  const fails = (id: string): Action[] => {
    // Each attempt's answer differs: the final one is the one to resolve with.
    const status = code5(`${id}.status`);
    const tag = word(`${id}.tag`);
    return Array.from({ length: 8 }, (_, i) => respond(status, `${tag}: attempt ${i + 1} failed\n`));
  };
  const k = draws.int('get-recovers.failures', ...ranges.recoversAfter);
  const recoversScript = Array.from({ length: k }, (_, i) => respond(code5(`get-recovers.status${i}`), `not yet ${i + 1}\n`));
  const retryable: ScenarioPlan = {
    port: p1,
    cases: [
      {
        cfg: { id: 'get-recovers', req: { method: 'GET', url: url(p1, `/${seg('get-recovers')}/${word('get-recovers.path')}`) }, opts: ro(k + 1 + draws.int('get-recovers.extra', 1, 2)) },
        route: '',
        script: recoversScript,
        otherwise: respond(200, bodyOf('get-recovers.body', 'item')),
      },
      ...[1, 2, 3, 4].map((i) => {
        const id = `get-fails-${i}`;
        const script = fails(id);
        return {
          cfg: { id, req: { method: 'GET' as const, url: url(p1, `/${seg(id)}/${word(`${id}.path`)}`) }, opts: ro(draws.int(`${id}.maxAttempts`, ...ranges.failingAttempts)) },
          route: '',
          script,
          otherwise: script[script.length - 1]!,
        };
      }),
      ...Array.from({ length: growClients }, (_, i) => {
        const id = `get-grows-${i + 1}`;
        const script = fails(id);
        return {
          cfg: { id, req: { method: 'GET' as const, url: url(p1, `/${seg(id)}/${word(`${id}.path`)}`) }, opts: { maxAttempts: 5, baseDelayMs: gb, maxDelayMs: 8 * gb, attemptTimeoutMs: 2500 } },
          route: '',
          script,
          otherwise: script[script.length - 1]!,
        };
      }),
      {
        cfg: { id: 'head', req: { method: 'HEAD', url: url(p1, `/${seg('head')}/${word('head.path')}`) }, opts: ro(draws.int('head.maxAttempts', 3, 4)) },
        route: '',
        script: [respond(code5('head.status'), '')],
        otherwise: respond(200, ''),
      },
      {
        cfg: { id: 'get-reset', req: { method: 'GET', url: url(p1, `/${seg('get-reset')}/${word('get-reset.path')}`) }, opts: ro(draws.int('get-reset.maxAttempts', 3, 4)) },
        route: '',
        script: [],
        otherwise: { kind: 'reset' },
      },
      {
        cfg: {
          id: 'put',
          req: { method: 'PUT', url: url(p1, `/${seg('put')}/${word('put.path')}`), body: bodyOf('put.reqBody', 'profile') },
          opts: ro(draws.int('put.maxAttempts', 3, 4)),
        },
        route: '',
        script: [respond(code5('put.status'), 'busy\n')],
        otherwise: respond(200, bodyOf('put.body', 'saved')),
      },
      {
        cfg: { id: 'delete', req: { method: 'DELETE', url: url(p1, `/${seg('delete')}/${word('delete.path')}`) }, opts: ro(draws.int('delete.maxAttempts', 3, 4)) },
        route: '',
        script: [{ kind: 'reset' }],
        otherwise: respond(200, bodyOf('delete.body', 'deleted')),
      },
      {
        cfg: { id: 'get-4xx', req: { method: 'GET', url: url(p1, `/${seg('get-4xx')}/${word('get-4xx.path')}`) }, opts: ro(draws.int('get-4xx.maxAttempts', 3, 4)) },
        route: '',
        script: [],
        otherwise: respond(draws.pick('get-4xx.status', clientErrors), bodyOf('get-4xx.body', 'refused')),
      },
    ],
  };

  // POST and PATCH, with and without a key.
  const ub = draws.int('unsafe.baseDelayMs', ...ranges.unsafeBaseMs);
  const uo = (maxAttempts: number): SafeRetryOptions => ({ maxAttempts, baseDelayMs: ub, maxDelayMs: 2 * ub, attemptTimeoutMs: 2500 });
  const p2 = ports[1]!;
  const charge = (id: string) => `/charge?order=${word(`${id}.order`)}`;
  const unsafe: ScenarioPlan = {
    port: p2,
    cases: [
      {
        cfg: { id: 'post-reset', req: { method: 'POST', url: url(p2, charge('post-reset')), body: bodyOf('post-reset.reqBody', 'amount') }, opts: uo(draws.int('post-reset.maxAttempts', 3, 4)) },
        route: '',
        script: [{ kind: 'reset' }],
        otherwise: respond(200, 'charged again\n'),
      },
      {
        cfg: { id: 'post-5xx', req: { method: 'POST', url: url(p2, charge('post-5xx')), body: bodyOf('post-5xx.reqBody', 'amount') }, opts: uo(draws.int('post-5xx.maxAttempts', 3, 4)) },
        route: '',
        script: [respond(code5('post-5xx.status'), bodyOf('post-5xx.body', 'unavailable'))],
        otherwise: respond(200, 'charged\n'),
      },
      {
        cfg: { id: 'patch-5xx', req: { method: 'PATCH', url: url(p2, `/${seg('patch-5xx')}/${word('patch-5xx.path')}`), body: bodyOf('patch-5xx.reqBody', 'balance') }, opts: uo(draws.int('patch-5xx.maxAttempts', 3, 4)) },
        route: '',
        script: [respond(code5('patch-5xx.status'), bodyOf('patch-5xx.body', 'unavailable'))],
        otherwise: respond(200, 'patched\n'),
      },
      {
        cfg: {
          id: 'post-keyed',
          req: { method: 'POST', url: url(p2, charge('post-keyed')), body: bodyOf('post-keyed.reqBody', 'amount'), idempotencyKey: `${word('post-keyed.key1')}-${word('post-keyed.key2')}` },
          opts: uo(draws.int('post-keyed.maxAttempts', 4, 5)),
        },
        route: '',
        script: [{ kind: 'reset' }, respond(code5('post-keyed.status'), 'try later\n')],
        otherwise: respond(201, bodyOf('post-keyed.body', 'receipt')),
      },
      {
        cfg: {
          id: 'post-keyed-4xx',
          req: { method: 'POST', url: url(p2, charge('post-keyed-4xx')), body: bodyOf('post-keyed-4xx.reqBody', 'amount'), idempotencyKey: word('post-keyed-4xx.key') },
          opts: uo(draws.int('post-keyed-4xx.maxAttempts', 3, 4)),
        },
        route: '',
        script: [],
        otherwise: respond(draws.pick('post-keyed-4xx.status', clientErrors), bodyOf('post-keyed-4xx.body', 'declined')),
      },
    ],
  };

  // Hung attempts.
  const T = draws.int('hung.attemptTimeoutMs', ...ranges.attemptTimeoutMs);
  const hb = draws.int('hung.baseDelayMs', ...ranges.hungBaseMs);
  const ho = (maxAttempts: number): SafeRetryOptions => ({ maxAttempts, baseDelayMs: hb, maxDelayMs: 2 * hb, attemptTimeoutMs: T });
  const p3 = ports[2]!;
  const hung: ScenarioPlan = {
    port: p3,
    cases: [
      {
        cfg: { id: 'hung-once', req: { method: 'GET', url: url(p3, `/reports/${word('hung-once.path')}`) }, opts: ho(3) },
        route: '',
        script: [{ kind: 'hang' }],
        otherwise: respond(200, bodyOf('hung-once.body', 'report')),
      },
      {
        cfg: { id: 'hung-always', req: { method: 'GET', url: url(p3, `/exports/${word('hung-always.path')}`) }, opts: ho(2) },
        route: '',
        script: [],
        otherwise: { kind: 'hang' },
      },
    ],
  };

  // Refused by the router.
  const fb = draws.int('refused.baseDelayMs', ...ranges.refusedBaseMs);
  const fo = (maxAttempts: number): SafeRetryOptions => ({ maxAttempts, baseDelayMs: fb, maxDelayMs: 2 * fb, attemptTimeoutMs: 2500 });
  const p4 = ports[3]!;
  const p5 = ports[4]!;
  const refusals = draws.int('refused.refusals', ...ranges.refusals);
  const refused: ScenarioPlan = {
    port: p4,
    extraPorts: { 'refused-always': p5 },
    cases: [
      {
        cfg: { id: 'refused-recovers', req: { method: 'GET', url: url(p4, `/health/${word('refused-recovers.path')}`) }, opts: fo(refusals + 2) },
        route: '',
        script: [],
        otherwise: respond(200, bodyOf('refused-recovers.body', 'healthy')),
      },
      {
        cfg: { id: 'refused-always', req: { method: 'GET', url: url(p5, `/health/${word('refused-always.path')}`) }, opts: fo(draws.int('refused.maxAttempts', ...ranges.refusedAttempts)) },
        route: '',
        script: [],
        otherwise: respond(200, 'unreachable\n'),
      },
    ],
  };
  for (const p of [retryable, unsafe, hung, refused]) for (const c of p.cases) c.route = new URL(c.cfg.req.url.replace('{host}', 'h')).pathname + new URL(c.cfg.req.url.replace('{host}', 'h')).search;
  return { retryable, unsafe, hung, refused, T, hb, refusals, p4, p5 };
}

function scenarios(draws: Draws): Scenario<RunEvidence>[] {
  const plans = drawPlans(draws);
  // Every scenario's wait by design: its slowest case's, then the watch after the last promise settled.
  const waitOf = (p: ScenarioPlan, retries: (c: CasePlan) => number) => Math.max(...p.cases.map((c) => nominalTotal(c.cfg.opts, retries(c)))) + watchMs;
  const hungOpts = plans.hung.cases[1]!.cfg.opts;
  return [
    kit.scenario({
      id: 'retryable',
      title: m.scRetryable,
      lab: { peers: ['server'] },
      inherentWaitMs: waitOf(plans.retryable, (c) => (/^get-(fails|grows)/.test(c.cfg.id) ? c.cfg.opts.maxAttempts - 1 : c.script.length)),
      deadlineMs: 25_000,
      run: (ctx) => run(ctx, plans.retryable, 8000),
    }),
    kit.scenario({
      id: 'unsafe',
      title: m.scUnsafe,
      lab: { peers: ['server'] },
      inherentWaitMs: waitOf(plans.unsafe, (c) => (c.cfg.id === 'post-keyed' ? 2 : 0)),
      deadlineMs: 25_000,
      run: (ctx) => run(ctx, plans.unsafe, 8000),
    }),
    kit.scenario({
      id: 'hung',
      title: m.scHung,
      lab: { peers: ['server'] },
      inherentWaitMs: 2 * hungOpts.attemptTimeoutMs + nominal(hungOpts, 1) + watchMs,
      deadlineMs: 25_000,
      run: (ctx) => run(ctx, plans.hung, 8000),
    }),
    kit.scenario({
      id: 'refused',
      title: m.scRefused,
      lab: {
        peers: ['server'],
        faults: [
          { id: 'refuse-first', kind: 'reject-tcp-reset', match: { proto: 'tcp', port: plans.p4, synOnly: true, firstPackets: plans.refusals } },
          { id: 'refuse-always', kind: 'reject-tcp-reset', match: { proto: 'tcp', port: plans.p5, synOnly: true } },
        ],
      },
      inherentWaitMs: waitOf(plans.refused, (c) => c.cfg.opts.maxAttempts - 1),
      deadlineMs: 25_000,
      run: (ctx) => run(ctx, plans.refused, 8000),
    }),
  ];
}

// ── Reading the evidence ────────────────────────────────────────────────────

/** What one call did, in a phrase. */
function outcome(c: CaseEvidence): Localized {
  const r = c.result;
  if (!r) return m.noCall;
  if (r.kind === 'threw') return m.threw(errorSummaryText(r.error));
  if (r.kind === 'pending') return m.pending;
  if (r.kind === 'resolved') return (typeof r.body === 'string' ? m.resolved : m.resolvedNoBody)({ elapsed: ms(r.t - r.start), status: String(r.status) });
  return m.rejected({ elapsed: ms(r.t - r.start), error: errorSummaryText(r.error) });
}

const describeReq = (c: CaseEvidence): Localized => {
  const u = new URL(c.cfg.req.url.replace('{host}', 'h'));
  return (c.cfg.req.idempotencyKey ? m.reqKeyed : m.req)({ method: c.cfg.req.method, path: `${u.pathname}${u.search}` });
};

/** The action the peer took for request n of a case. */
const actionOf = (c: CaseEvidence, n: number): Action => c.script[n - 1] ?? c.otherwise;

/** What the peer did to the requests, in a phrase: "503, 503, reset". */
function peerStory(c: CaseEvidence): Localized {
  if (c.requests.length === 0) return m.peerNoRequest;
  const said = c.requests.map((r) => (r.action === 'respond' ? String(r.status) : r.action === 'reset' ? m.saidReset : m.saidHung));
  return m.peerAnswered({ count: c.requests.length, said: joinTexts(said, '; ') });
}

/** Checks that read a scenario first make sure it ran; then give the case. */
function caseOf(e: { evidence: (id: keyof Evidence) => RunEvidence }, scenario: keyof Evidence, id: string): CaseEvidence | Verdict {
  const ev = e.evidence(scenario);
  const c = ev.cases[id];
  if (!c) throw new Error(`no case ${id} in ${scenario}`);
  if (ev.problem && !c.result) return fail(m.problem(ev.problem));
  return c;
}
const isVerdict = (x: unknown): x is Verdict => typeof x === 'object' && x !== null && 'pass' in x && 'message' in x;

/** Texts one after another with a separator between them, in each language. */
const joinTexts = (texts: Text[], sep: string): Localized => join(...texts.flatMap((t, i) => (i ? [sep, t] : [t])));

const codesOf = (err: unknown): string[] => {
  const e = err as ErrorShape | undefined;
  return [e?.code, e?.cause?.code, e?.cause?.cause?.code].filter((x): x is string => typeof x === 'string');
};
const readsAsReset = (err: unknown): boolean =>
  codesOf(err).some((c) => ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED'].includes(c)) ||
  /socket hang up|ECONNRESET|reset|other side closed|EPIPE/i.test(`${(err as ErrorShape)?.message ?? ''} ${(err as ErrorShape)?.cause?.message ?? ''}`);
const readsAsRefused = (err: unknown): boolean =>
  codesOf(err).includes('ECONNREFUSED') || /ECONNREFUSED|refused/i.test(`${(err as ErrorShape)?.message ?? ''} ${(err as ErrorShape)?.cause?.message ?? ''}`);

/** Waits between attempts on the peer's clock: the next request's arrival minus the previous one's (answered at once). */
function gaps(c: CaseEvidence): number[] {
  const out: number[] = [];
  for (let i = 1; i < c.requests.length; i++) out.push(c.requests[i]!.t - c.requests[i - 1]!.t);
  return out;
}

/** The connection's first sign of closing at the peer: the client's FIN, its RST, or the close. */
function closedAt(ev: RunEvidence, conn: unknown): number | undefined {
  return ev.peer.find((e) => (e.type === 'end' || e.type === 'error' || e.type === 'close') && e.conn === conn)?.t;
}

/** Resolved with exactly the response the peer gave to request n. */
function resolvedWith(c: CaseEvidence, n: number, what: Localized): Verdict {
  const a = actionOf(c, n);
  const r = c.result;
  if (a.kind !== 'respond') return fail(m.rwNotResponse({ what, story: peerStory(c), outcome: outcome(c) }));
  if (r?.kind !== 'resolved') return fail(m.rwNotResolved({ what, story: peerStory(c), outcome: outcome(c) }));
  if (r.status !== a.status) return fail(m.rwWrongStatus({ what, expected: a.status, got: String(r.status) }));
  if (r.body !== a.body) {
    return fail(m.rwWrongBody({ what, status: a.status, length: a.body.length, got: typeof r.body === 'string' ? m.charsThatDiffer(r.body.length) : m.noStringBody }));
  }
  return pass(m.rwOk({ what, status: a.status }));
}

// ── Checks ──────────────────────────────────────────────────────────────────

const failing = ['get-fails-1', 'get-fails-2', 'get-fails-3', 'get-fails-4'];
const growing = Array.from({ length: growClients }, (_, i) => `get-grows-${i + 1}`);

const checks = [
  kit.check({
    id: 'retries-5xx-until-success',
    category: 'correctness',
    title: m.tRetries5xx,
    points: 2,
    needs: ['retryable'],
    judge(e) {
      const c = caseOf(e, 'retryable', 'get-recovers');
      if (isVerdict(c)) return c;
      const k = c.script.length;
      const head = m.recoversHead({ answers: c.script.map((a) => (a.kind === 'respond' ? a.status : a.kind)).join(', '), max: c.cfg.opts.maxAttempts, story: peerStory(c) });
      if (c.requests.length <= k) {
        return fail(m.recoversTooFew(head));
      }
      if (c.requests.length > k + 1) return fail(m.recoversTooMany(head));
      return resolvedWith(c, k + 1, m.recoversWhat(k));
    },
  }),
  kit.check({
    id: 'exactly-max-attempts',
    category: 'correctness',
    title: m.tExactlyMax,
    points: 2,
    needs: ['retryable'],
    judge(e) {
      const out: number[] = [];
      for (const id of [...failing, 'get-reset']) {
        const c = caseOf(e, 'retryable', id);
        if (isVerdict(c)) return c;
        const n = c.cfg.opts.maxAttempts;
        if (c.requests.length !== n) {
          const why = id === 'get-reset' ? m.whyReset : m.whyAnswered(String(actionOf(c, 1).kind === 'respond' ? (actionOf(c, 1) as { status: number }).status : ''));
          const said = { why, max: n, count: c.requests.length, req: describeReq(c), outcome: outcome(c) };
          return fail(c.requests.length < n ? m.maxTooFew(said) : m.maxTooMany(said));
        }
        out.push(n);
      }
      return pass(m.maxOk(out));
    },
  }),
  kit.check({
    id: 'final-5xx-resolves',
    category: 'error-handling',
    title: m.tFinal5xx,
    points: 2,
    needs: ['retryable', 'unsafe'],
    judge(e) {
      const out: Verdict[] = [];
      for (const [sc, id] of [...failing.map((f) => ['retryable', f] as const), ['unsafe', 'post-5xx'] as const, ['unsafe', 'patch-5xx'] as const]) {
        const c = caseOf(e, sc, id);
        if (isVerdict(c)) return c;
        if (c.requests.length === 0) return fail(m.reqStoryOutcome({ req: describeReq(c), story: peerStory(c), outcome: outcome(c) }));
        const v = resolvedWith(c, c.requests.length, m.lastAnswered({ req: describeReq(c), status: String(c.requests[c.requests.length - 1]!.status) }));
        if (!v.pass) {
          if (c.result?.kind === 'rejected') {
            return fail(m.still5xx(v.message));
          }
          return v;
        }
        out.push(v);
      }
      return pass(m.final5xxOk(out.length));
    },
  }),
  kit.check({
    id: 'final-error-rejects',
    category: 'error-handling',
    title: m.tFinalError,
    points: 1,
    needs: ['retryable', 'refused'],
    judge(e) {
      const reset = caseOf(e, 'retryable', 'get-reset');
      if (isVerdict(reset)) return reset;
      const refused = caseOf(e, 'refused', 'refused-always');
      if (isVerdict(refused)) return refused;
      const r1 = reset.result;
      if (r1?.kind !== 'rejected' || !readsAsReset(r1.error)) {
        return fail(m.resetNotRejected({ req: describeReq(reset), outcome: outcome(reset) }));
      }
      const r2 = refused.result;
      if (r2?.kind !== 'rejected' || !readsAsRefused(r2.error)) {
        return fail(m.refusedNotRejected({ port: new URL(refused.cfg.req.url.replace('{host}', 'h')).port, outcome: outcome(refused) }));
      }
      return pass(m.finalErrorOk({ first: errorSummaryText(r1.error), second: errorSummaryText(r2.error) }));
    },
  }),
  kit.check({
    id: 'post-charged-once',
    category: 'correctness',
    title: m.tPostOnce,
    points: 3,
    needs: ['unsafe'],
    judge(e) {
      const c = caseOf(e, 'unsafe', 'post-reset');
      if (isVerdict(c)) return c;
      if (c.requests.length === 0) return fail(m.sendToUrl({ req: describeReq(c), story: peerStory(c), outcome: outcome(c) }));
      if (c.requests.length > 1) {
        return fail(m.chargedAgain({ req: describeReq(c), count: c.requests.length }));
      }
      if (c.result?.kind !== 'rejected') return fail(m.postNotRejected(outcome(c)));
      return pass(m.chargedOnceOk(errorSummaryText(c.result.error)));
    },
  }),
  kit.check({
    id: 'unkeyed-not-retried-on-5xx',
    category: 'correctness',
    title: m.tUnkeyed,
    points: 2,
    needs: ['unsafe'],
    judge(e) {
      for (const id of ['post-5xx', 'patch-5xx']) {
        const c = caseOf(e, 'unsafe', id);
        if (isVerdict(c)) return c;
        if (c.requests.length !== 1) {
          const said = { req: describeReq(c), status: String(actionOf(c, 1).kind === 'respond' ? (actionOf(c, 1) as { status: number }).status : ''), story: peerStory(c) };
          return fail(c.requests.length === 0 ? m.unkeyedNotSent(said) : m.unkeyedRetried(said));
        }
      }
      return pass(m.unkeyedOk);
    },
  }),
  kit.check({
    id: 'keyed-post-retried',
    category: 'correctness',
    title: m.tKeyedRetried,
    points: 2,
    needs: ['unsafe'],
    judge(e) {
      const c = caseOf(e, 'unsafe', 'post-keyed');
      if (isVerdict(c)) return c;
      const head = m.keyedHead({ req: describeReq(c), story: peerStory(c) });
      if (c.requests.length < 3) {
        return fail(m.keyedTooFew({ head, outcome: outcome(c) }));
      }
      if (c.requests.length > 3) return fail(m.keyedTooMany(head));
      return resolvedWith(c, 3, m.thirdGot201);
    },
  }),
  kit.check({
    id: 'same-key-same-body',
    category: 'correctness',
    title: m.tSameKey,
    points: 2,
    needs: ['unsafe'],
    judge(e) {
      const c = caseOf(e, 'unsafe', 'post-keyed');
      if (isVerdict(c)) return c;
      if (c.requests.length < 2) return fail(m.noRetryForKey({ req: describeReq(c), story: peerStory(c), outcome: outcome(c) }));
      const key = c.cfg.req.idempotencyKey!;
      for (const [i, r] of c.requests.entries()) {
        if (r.key !== key) {
          const got = r.key === null ? m.noKeyHeader : m.keyHeader(String(r.key).slice(0, 60));
          return fail(m.wrongKey({ attempt: i + 1, got, key }));
        }
        if (r.body !== c.cfg.req.body) {
          return fail(m.wrongBody({ attempt: i + 1, sent: String(r.body).length, expected: c.cfg.req.body!.length }));
        }
      }
      return pass(m.sameKeyOk({ count: c.requests.length, key }));
    },
  }),
  kit.check({
    id: 'idempotent-methods-retried',
    category: 'correctness',
    title: m.tIdempotent,
    points: 1,
    needs: ['retryable'],
    judge(e) {
      const out: Verdict[] = [];
      for (const id of ['put', 'delete', 'head']) {
        const c = caseOf(e, 'retryable', id);
        if (isVerdict(c)) return c;
        const first = actionOf(c, 1).kind === 'reset' ? m.firstReset : m.first5xx;
        if (c.requests.length !== 2) {
          const said = { first, method: c.cfg.req.method, story: peerStory(c) };
          return fail(c.requests.length < 2 ? m.idemTooFew(said) : m.idemTooMany(said));
        }
        if (c.cfg.req.body !== undefined && c.requests.some((r) => r.body !== c.cfg.req.body)) {
          return fail(m.putNoBody);
        }
        const v = resolvedWith(c, 2, m.retriedOnce(c.cfg.req.method));
        if (!v.pass) return v;
        out.push(v);
      }
      return pass(joinTexts(out.map((v) => v.message), '; '));
    },
  }),
  kit.check({
    id: 'client-error-not-retried',
    category: 'correctness',
    title: m.tClientError,
    points: 2,
    needs: ['retryable', 'unsafe'],
    judge(e) {
      const out: string[] = [];
      for (const [sc, id] of [['retryable', 'get-4xx'], ['unsafe', 'post-keyed-4xx']] as const) {
        const c = caseOf(e, sc, id);
        if (isVerdict(c)) return c;
        const status = (actionOf(c, 1) as { status: number }).status;
        if (c.requests.length !== 1) {
          const said = { req: describeReq(c), status, story: peerStory(c) };
          return fail(c.requests.length === 0 ? m.clientNotSent(said) : m.clientRetried(said));
        }
        const v = resolvedWith(c, 1, m.reqAnswered({ req: describeReq(c), status }));
        if (!v.pass) return v;
        out.push(String(status));
      }
      return pass(m.clientOk(out));
    },
  }),
  kit.check({
    id: 'backs-off',
    category: 'backoff',
    title: m.tBacksOff,
    points: 2,
    needs: ['retryable'],
    judge(e) {
      const ratios: number[] = [];
      const raw: number[] = [];
      let opts: SafeRetryOptions | undefined;
      for (const id of ['get-recovers', ...failing, ...growing, 'get-reset']) {
        const c = caseOf(e, 'retryable', id);
        if (isVerdict(c)) return c;
        opts = c.cfg.opts;
        gaps(c).forEach((g, i) => {
          ratios.push(g / nominal(c.cfg.opts, i + 1));
          raw.push(g);
        });
      }
      if (ratios.length < 6) return fail(m.tooFewRetries(ratios.length));
      const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
      const meanGap = raw.reduce((a, b) => a + b, 0) / raw.length;
      if (mean < backoffFloor) {
        return fail(m.noBackoff({ gap: ms(meanGap), retries: ratios.length, base: opts!.baseDelayMs, double: 2 * opts!.baseDelayMs }));
      }
      return pass(m.backsOffOk({ gap: ms(meanGap), retries: ratios.length, percent: Math.round(mean * 100) }));
    },
  }),
  kit.check({
    id: 'delays-grow',
    category: 'backoff',
    title: m.tGrow,
    points: 1,
    needs: ['retryable'],
    judge(e) {
      const late: number[] = [];
      const byStep = new Map<number, number[]>();
      let opts: SafeRetryOptions | undefined;
      for (const id of growing) {
        const c = caseOf(e, 'retryable', id);
        if (isVerdict(c)) return c;
        opts = c.cfg.opts;
        gaps(c).forEach((g, i) => {
          byStep.set(i + 1, [...(byStep.get(i + 1) ?? []), g]);
          if (i + 1 >= 3) late.push(g);
        });
      }
      const b = opts!.baseDelayMs;
      if (late.length < growClients) return fail(m.tooFewGrow(late.length));
      const shape = [...byStep.entries()].map(([k, gs]) => `${k}: ${ms(median(gs))}`).join(', ');
      const second = [...late].sort((x, y) => y - x)[1]!;
      if (second < growFactor * b) {
        return fail(m.noGrowth({ base: b, max: opts!.maxDelayMs, shape, fourth: 4 * b, fifth: 8 * b }));
      }
      return pass(m.growOk({ base: b, max: opts!.maxDelayMs, shape }));
    },
  }),
  kit.check({
    id: 'delay-capped',
    category: 'backoff',
    title: m.tCapped,
    points: 1,
    needs: ['retryable'],
    judge(e) {
      const byStep = new Map<number, number[]>();
      let opts: SafeRetryOptions | undefined;
      for (const id of failing) {
        const c = caseOf(e, 'retryable', id);
        if (isVerdict(c)) return c;
        opts = c.cfg.opts;
        gaps(c).forEach((g, i) => byStep.set(i + 1, [...(byStep.get(i + 1) ?? []), g]));
      }
      const limit = 1.3 * opts!.maxDelayMs + capSlackMs;
      const judged = [...byStep.entries()].filter(([k, gs]) => k >= 3 && gs.length >= 3);
      if (judged.length === 0) return fail(m.tooFewCap);
      const medians = [...byStep.entries()].filter(([, gs]) => gs.length >= 3).map(([k, gs]) => [k, median(gs)] as const);
      const shape = medians.map(([k, md]) => `${k}: ${ms(md)}`).join(', ');
      const over = medians.find(([k, md]) => k >= 3 && md > limit);
      if (over) {
        return fail(m.pastCap({ base: opts!.baseDelayMs, max: opts!.maxDelayMs, retry: over[0], gap: ms(over[1]), shape }));
      }
      return pass(m.capOk({ max: opts!.maxDelayMs, shape }));
    },
  }),
  kit.check({
    id: 'hung-attempt-retried',
    category: 'timeouts',
    title: m.tHungRetried,
    points: 2,
    needs: ['hung'],
    judge(e) {
      const c = caseOf(e, 'hung', 'hung-once');
      if (isVerdict(c)) return c;
      const { attemptTimeoutMs: T } = c.cfg.opts;
      const hi = T + 1.3 * nominal(c.cfg.opts, 1) * 2 + lateMs;
      if (c.requests.length < 2) {
        return fail(m.hungNotRetried({ story: peerStory(c), outcome: outcome(c), timeout: ms(T) }));
      }
      // The first attempt began at the call (the runner's clock), a little before its request reached the peer.
      const gap = c.requests[1]!.t - c.requests[0]!.t;
      const sinceCall = c.result ? c.requests[1]!.t - c.result.start : gap;
      if (sinceCall < T - earlyMs) {
        return fail(m.secondTooEarly({ since: ms(sinceCall), timeout: ms(T) }));
      }
      if (gap > hi) {
        return fail(m.secondTooLate({ gap: ms(gap), timeout: ms(T), backoff: ms(2 * nominal(c.cfg.opts, 1)) }));
      }
      if (c.requests.length > 2) return fail(m.hungTooMany(peerStory(c)));
      return resolvedWith(c, 2, m.hungWhat({ since: ms(sinceCall), gap: ms(gap), timeout: ms(T) }));
    },
  }),
  kit.check({
    id: 'hung-connection-closed',
    category: 'resources',
    title: m.tHungClosed,
    points: 2,
    needs: ['hung'],
    judge(e) {
      const ev = e.evidence('hung');
      const seen: Localized[] = [];
      for (const id of ['hung-once', 'hung-always']) {
        const c = caseOf(e, 'hung', id);
        if (isVerdict(c)) return c;
        const hungReqs = c.requests.filter((r) => r.action === 'hang');
        if (hungReqs.length === 0) return fail(m.reqStoryOutcome({ req: describeReq(c), story: peerStory(c), outcome: outcome(c) }));
        for (const [i, r] of hungReqs.entries()) {
          const closed = closedAt(ev, r.conn);
          const next = c.requests[c.requests.indexOf(r) + 1];
          const bound = next ? next.t + closeSlackMs : c.result?.kind === 'rejected' ? c.result.t + closeAfterRejectMs : undefined;
          if (bound === undefined) {
            return fail(m.noTimeout({ req: describeReq(c), outcome: outcome(c), conn: closed === undefined ? m.connNeverClosed : m.connStayedOpen }));
          }
          if (closed === undefined || closed > bound) {
            const when = closed === undefined ? m.whenNever : next ? m.whenAfterNext(ms(closed - next.t)) : m.whenAfterReject(ms(closed - c.result!.t));
            return fail(m.closedLate({ attempt: i + 1, req: describeReq(c), when }));
          }
          seen.push(next ? m.seenBeforeNext(ms(next.t - closed)) : m.seenAfterReject(ms(Math.max(0, closed - c.result!.t))));
        }
      }
      return pass(m.closedOk(seen));
    },
  }),
  kit.check({
    id: 'final-timeout-rejects',
    category: 'timeouts',
    title: m.tFinalTimeout,
    points: 1,
    needs: ['hung'],
    judge(e) {
      const c = caseOf(e, 'hung', 'hung-always');
      if (isVerdict(c)) return c;
      const { attemptTimeoutMs: T, maxAttempts } = c.cfg.opts;
      const r = c.result;
      if (r?.kind !== 'rejected') {
        return fail(m.timeoutNotRejected({ req: describeReq(c), max: maxAttempts, timeout: ms(T), story: peerStory(c), outcome: outcome(c) }));
      }
      if (c.requests.length !== maxAttempts) {
        return fail(m.timeoutWrongCount({ max: maxAttempts, count: c.requests.length }));
      }
      const t = r.t - r.start;
      const lo = maxAttempts * T - earlyMs;
      const hi = maxAttempts * T + 2 * nominal(c.cfg.opts, 1) * 1.3 + lateMs + 200;
      if (t < lo || t > hi) {
        return fail(m.timeoutWrongTime({ elapsed: ms(t), max: maxAttempts, timeout: ms(T), about: ms(maxAttempts * T + nominal(c.cfg.opts, 1)) }));
      }
      return pass(m.timeoutOk({ elapsed: ms(t), max: maxAttempts, error: errorSummaryText(r.error) }));
    },
  }),
  kit.check({
    id: 'refused-retried',
    category: 'error-handling',
    title: m.tRefused,
    points: 2,
    needs: ['refused'],
    judge(e) {
      const rec = caseOf(e, 'refused', 'refused-recovers');
      if (isVerdict(rec)) return rec;
      const always = caseOf(e, 'refused', 'refused-always');
      if (isVerdict(always)) return always;
      const N = rec.cfg.opts.maxAttempts - 2;
      if (rec.result?.kind !== 'resolved' || rec.requests.length === 0) {
        return fail(m.refusedNotRetried({ refusals: N, syns: rec.syns.length, outcome: outcome(rec) }));
      }
      if (rec.syns.length > N + 1) return fail(m.refusedTooMany({ refusals: N, syns: rec.syns.length }));
      const v = resolvedWith(rec, rec.requests.length, m.throughOn(N + 1));
      if (!v.pass) return v;
      const M = always.cfg.opts.maxAttempts;
      if (always.syns.length !== M) {
        const said = { max: M, syns: always.syns.length, outcome: outcome(always) };
        return fail(always.syns.length < M ? m.alwaysTooFew(said) : m.alwaysTooMany(said));
      }
      return pass(m.refusedOk({ refusals: N, max: M }));
    },
  }),
];

const exercise: ExerciseDef = {
  id: 'safe-retry',
  title: m.title.en,
  part: m.part.en,
  vi: { title: m.title.vi, part: m.part.vi },
  kind: 'module',
  runner: runnerFile,
  peers: { server: peerFile },
  scenarios,
  checks,
};

export default exercise;

export type { SafeRequest };
