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
import { errorSummary, ms, type ErrorShape } from '../../evidence.ts';
import { describeProcess, eventOf, exerciseKit, fail, letExit, observe, pass, runProgram, startPeer, type ProcessRecord } from '../../kit/index.ts';
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
  problem: string | null;
}

function describeProblem(rec: ProcessRecord): string | null {
  const ranThrough = eventOf(rec, 'done') && !eventOf(rec, 'missing-export') && !eventOf(rec, 'crash');
  return ranThrough ? null : (describeProcess(rec) ?? 'the runner did not finish');
}

async function run(ctx: ScenarioContext, plan: ScenarioPlan, limitMs: number): Promise<RunEvidence> {
  const { lab } = ctx;
  const host = lab.addresses.peers.server!;
  const routes: Record<string, Route> = Object.fromEntries(plan.cases.map((c) => [c.route, { script: c.script, otherwise: c.otherwise }]));
  const peerCfg: SafePeerConfig = { port: plan.port, routes };
  const peer = await startPeer(ctx, 'server', { config: peerCfg, ready: 'listening' });
  const cases = plan.cases.map((c) => ({ ...c.cfg, req: { ...c.cfg.req, url: c.cfg.req.url.replace('{host}', host) } }));
  const cfg: RunnerConfig = { cases, limitMs, watchMs };
  const proc = await runProgram(ctx, { config: cfg }, { wallMs: limitMs + watchMs + 6000 });
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
  const waitOf = (p: ScenarioPlan, retries: (c: CasePlan) => number) => Math.max(...p.cases.map((c) => nominalTotal(c.cfg.opts, retries(c))));
  const hungOpts = plans.hung.cases[1]!.cfg.opts;
  return [
    kit.scenario({
      id: 'retryable',
      title: 'GET, HEAD, PUT and DELETE against 5xx answers, resets and a 4xx',
      lab: { peers: ['server'] },
      inherentWaitMs: waitOf(plans.retryable, (c) => (/^get-(fails|grows)/.test(c.cfg.id) ? c.cfg.opts.maxAttempts - 1 : c.script.length)),
      deadlineMs: 25_000,
      run: (ctx) => run(ctx, plans.retryable, 8000),
    }),
    kit.scenario({
      id: 'unsafe',
      title: 'POST /charge and PATCH without a key, POST with an Idempotency-Key',
      lab: { peers: ['server'] },
      inherentWaitMs: waitOf(plans.unsafe, (c) => (c.cfg.id === 'post-keyed' ? 2 : 0)),
      deadlineMs: 25_000,
      run: (ctx) => run(ctx, plans.unsafe, 8000),
    }),
    kit.scenario({
      id: 'hung',
      title: 'attempts that get no answer within attemptTimeoutMs',
      lab: { peers: ['server'] },
      inherentWaitMs: 2 * hungOpts.attemptTimeoutMs + nominal(hungOpts, 1),
      deadlineMs: 25_000,
      run: (ctx) => run(ctx, plans.hung, 8000),
    }),
    kit.scenario({
      id: 'refused',
      title: `connections refused by the router with a TCP reset`,
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

function times(n: number): string {
  return n === 0 ? 'never' : n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`;
}

/** What one call did, in a phrase. */
function outcome(c: CaseEvidence): string {
  const r = c.result;
  if (!r) return 'the call was never recorded';
  if (r.kind === 'threw') return `requestWithRetry threw instead of returning a promise (${errorSummary(r.error)})`;
  if (r.kind === 'pending') return 'the promise had not settled when we stopped waiting';
  if (r.kind === 'resolved') return `the promise resolved ${ms(r.t - r.start)} after the call with status ${String(r.status)}${typeof r.body === 'string' ? '' : ' and no string body'}`;
  return `the promise rejected ${ms(r.t - r.start)} after the call with ${errorSummary(r.error)}`;
}

const describeReq = (c: CaseEvidence): string => {
  const u = new URL(c.cfg.req.url.replace('{host}', 'h'));
  return `${c.cfg.req.method} ${u.pathname}${u.search}${c.cfg.req.idempotencyKey ? ' (with an idempotencyKey)' : ''}`;
};

/** The action the peer took for request n of a case. */
const actionOf = (c: CaseEvidence, n: number): Action => c.script[n - 1] ?? c.otherwise;

/** What the peer did to the requests, in a phrase: "503, 503, reset". */
function peerStory(c: CaseEvidence): string {
  if (c.requests.length === 0) return 'the peer received no request';
  const said = c.requests.map((r) => (r.action === 'respond' ? String(r.status) : r.action === 'reset' ? 'read, processed, then reset' : 'read, never answered'));
  return `the peer received ${c.requests.length} request(s) and answered: ${said.join('; ')}`;
}

/** Checks that read a scenario first make sure it ran; then give the case. */
function caseOf(e: { evidence: (id: keyof Evidence) => RunEvidence }, scenario: keyof Evidence, id: string): CaseEvidence | Verdict {
  const ev = e.evidence(scenario);
  const c = ev.cases[id];
  if (!c) throw new Error(`no case ${id} in ${scenario}`);
  if (ev.problem && !c.result) return fail(`${ev.problem}.`);
  return c;
}
const isVerdict = (x: unknown): x is Verdict => typeof x === 'object' && x !== null && 'pass' in x && 'message' in x;

/** The first failing verdict of several, or a pass that joins their messages. */
function all(verdicts: Verdict[]): Verdict {
  const bad = verdicts.find((v) => !v.pass);
  return bad ?? pass(verdicts.map((v) => String(v.message)).join('; '));
}

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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** The connection's first sign of closing at the peer: the client's FIN, its RST, or the close. */
function closedAt(ev: RunEvidence, conn: unknown): number | undefined {
  return ev.peer.find((e) => (e.type === 'end' || e.type === 'error' || e.type === 'close') && e.conn === conn)?.t;
}

/** Resolved with exactly the response the peer gave to request n. */
function resolvedWith(c: CaseEvidence, n: number, what: string): Verdict {
  const a = actionOf(c, n);
  const r = c.result;
  if (a.kind !== 'respond') return fail(`${what}: ${peerStory(c)}, and ${outcome(c)}.`);
  if (r?.kind !== 'resolved') return fail(`${what}: ${peerStory(c)}; ${outcome(c)}. A complete response is an answer: resolve with its status and body.`);
  if (r.status !== a.status) return fail(`${what}: the peer's last answer was ${a.status}, the promise resolved with status ${String(r.status)}.`);
  if (r.body !== a.body) {
    return fail(
      `${what}: the peer's last answer (${a.status}) had a ${a.body.length}-character body, the promise resolved with ` +
        `${typeof r.body === 'string' ? `${r.body.length} characters that differ` : 'no string body'}: resolve with the body of the response you got, read to its end.`,
    );
  }
  return pass(`${what}: resolved ${a.status} with its body`);
}

// ── Checks ──────────────────────────────────────────────────────────────────

const failing = ['get-fails-1', 'get-fails-2', 'get-fails-3', 'get-fails-4'];
const growing = Array.from({ length: growClients }, (_, i) => `get-grows-${i + 1}`);

const checks = [
  kit.check({
    id: 'retries-5xx-until-success',
    category: 'correctness',
    title: 'a GET answered 5xx is retried until it succeeds, then no more',
    points: 2,
    needs: ['retryable'],
    judge(e) {
      const c = caseOf(e, 'retryable', 'get-recovers');
      if (isVerdict(c)) return c;
      const k = c.script.length;
      const head = `GET answered ${c.script.map((a) => (a.kind === 'respond' ? a.status : a.kind)).join(', ')}, then 200 (maxAttempts ${c.cfg.opts.maxAttempts}); ${peerStory(c)}`;
      if (c.requests.length <= k) {
        return fail(`${head}. 500, 502, 503 and 504 are transient and a GET is idempotent: retry it, with backoff, until it succeeds or maxAttempts run out.`);
      }
      if (c.requests.length > k + 1) return fail(`${head}. Once an attempt succeeds, stop: return its response.`);
      return resolvedWith(c, k + 1, `after ${k} failure(s), attempt ${k + 1} got 200`);
    },
  }),
  kit.check({
    id: 'exactly-max-attempts',
    category: 'correctness',
    title: 'when every attempt fails, exactly maxAttempts attempts in all',
    points: 2,
    needs: ['retryable'],
    judge(e) {
      const out: Verdict[] = [];
      for (const id of [...failing, 'get-reset']) {
        const c = caseOf(e, 'retryable', id);
        if (isVerdict(c)) return c;
        const n = c.cfg.opts.maxAttempts;
        if (c.requests.length !== n) {
          const why = id === 'get-reset' ? 'reset every connection after reading the request' : `answered ${actionOf(c, 1).kind === 'respond' ? (actionOf(c, 1) as { status: number }).status : ''} every time`;
          return fail(
            `the peer ${why}, maxAttempts was ${n}, and it received ${c.requests.length} ${describeReq(c)} request(s) (${outcome(c)}). ` +
              (c.requests.length < n
                ? 'Keep retrying retryable failures until maxAttempts attempts have been made.'
                : 'maxAttempts counts every attempt, the first one included: stop after attempt maxAttempts.'),
          );
        }
        out.push(pass(`${id}: ${n}`));
      }
      return pass(`each failing GET made exactly maxAttempts attempts (${out.map((v) => String(v.message).split(': ')[1]).join(', ')})`);
    },
  }),
  kit.check({
    id: 'final-5xx-resolves',
    category: 'error-handling',
    title: 'when attempts run out on a 5xx, the promise resolves with that last response',
    points: 2,
    needs: ['retryable', 'unsafe'],
    judge(e) {
      const out: Verdict[] = [];
      for (const [sc, id] of [...failing.map((f) => ['retryable', f] as const), ['unsafe', 'post-5xx'] as const, ['unsafe', 'patch-5xx'] as const]) {
        const c = caseOf(e, sc, id);
        if (isVerdict(c)) return c;
        if (c.requests.length === 0) return fail(`${describeReq(c)}: ${peerStory(c)}; ${outcome(c)}.`);
        const v = resolvedWith(c, c.requests.length, `${describeReq(c)}, last attempt answered ${String(c.requests[c.requests.length - 1]!.status)}`);
        if (!v.pass) {
          if (c.result?.kind === 'rejected') {
            return fail(`${v.message} A 5xx is still an HTTP response: when no attempt is left, resolve with it (status and body) and let the caller decide.`);
          }
          return v;
        }
        out.push(v);
      }
      return pass(`every request whose attempts ran out on a 5xx resolved with the last response (${out.length} requests)`);
    },
  }),
  kit.check({
    id: 'final-error-rejects',
    category: 'error-handling',
    title: 'when attempts run out on a connection error, the promise rejects with that error',
    points: 1,
    needs: ['retryable', 'refused'],
    judge(e) {
      const reset = caseOf(e, 'retryable', 'get-reset');
      if (isVerdict(reset)) return reset;
      const refused = caseOf(e, 'refused', 'refused-always');
      if (isVerdict(refused)) return refused;
      const r1 = reset.result;
      if (r1?.kind !== 'rejected' || !readsAsReset(r1.error)) {
        return fail(
          `the peer reset every connection of ${describeReq(reset)}; ${outcome(reset)}. When the attempts run out on a connection error, reject with that error ` +
            `(ECONNRESET, "socket hang up") so the caller sees what went wrong.`,
        );
      }
      const r2 = refused.result;
      if (r2?.kind !== 'rejected' || !readsAsRefused(r2.error)) {
        return fail(`the router refused every connection to port ${new URL(refused.cfg.req.url.replace('{host}', 'h')).port}; ${outcome(refused)}. Reject with the last error, ECONNREFUSED here.`);
      }
      return pass(`rejected with ${errorSummary(r1.error)} and with ${errorSummary(r2.error)}`);
    },
  }),
  kit.check({
    id: 'post-charged-once',
    category: 'correctness',
    title: 'a POST /charge without a key, reset after the server processed it, is sent once: one charge',
    points: 3,
    needs: ['unsafe'],
    judge(e) {
      const c = caseOf(e, 'unsafe', 'post-reset');
      if (isVerdict(c)) return c;
      if (c.requests.length === 0) return fail(`${describeReq(c)}: ${peerStory(c)}; ${outcome(c)}. Send the request to the URL you were given.`);
      if (c.requests.length > 1) {
        return fail(
          `the server read ${describeReq(c)}, charged the card, then the connection was reset; you sent it again, ${c.requests.length} times in all: ` +
            `the customer was charged ${c.requests.length} times. A POST without an idempotencyKey is not idempotent: send it once, whatever happens.`,
        );
      }
      if (c.result?.kind !== 'rejected') return fail(`the POST was sent once and its connection reset; ${outcome(c)}. With no response, reject with the connection error.`);
      return pass(`sent once, charged once; the promise rejected with ${errorSummary(c.result.error)}`);
    },
  }),
  kit.check({
    id: 'unkeyed-not-retried-on-5xx',
    category: 'correctness',
    title: 'a POST or PATCH without a key is sent once, even on a 5xx',
    points: 2,
    needs: ['unsafe'],
    judge(e) {
      for (const id of ['post-5xx', 'patch-5xx']) {
        const c = caseOf(e, 'unsafe', id);
        if (isVerdict(c)) return c;
        if (c.requests.length !== 1) {
          return fail(
            `${describeReq(c)} got ${String(actionOf(c, 1).kind === 'respond' ? (actionOf(c, 1) as { status: number }).status : '')}; ${peerStory(c)}. ` +
              (c.requests.length === 0
                ? 'Send the request to the URL you were given.'
                : 'A 5xx does not prove the server did nothing: a POST or PATCH without an idempotencyKey must be sent exactly once.'),
          );
        }
      }
      return pass('POST and PATCH without a key were each sent once');
    },
  }),
  kit.check({
    id: 'keyed-post-retried',
    category: 'correctness',
    title: 'a POST with an idempotencyKey is retried after a reset and a 5xx',
    points: 2,
    needs: ['unsafe'],
    judge(e) {
      const c = caseOf(e, 'unsafe', 'post-keyed');
      if (isVerdict(c)) return c;
      const head = `${describeReq(c)}: the peer reset the first attempt and answered the second with a 5xx; ${peerStory(c)}`;
      if (c.requests.length < 3) {
        return fail(`${head}; ${outcome(c)}. With an idempotency key the server can tell a repeat from a new request: a keyed POST is safe to retry.`);
      }
      if (c.requests.length > 3) return fail(`${head}. The third attempt succeeded: stop there.`);
      return resolvedWith(c, 3, 'the third attempt got 201');
    },
  }),
  kit.check({
    id: 'same-key-same-body',
    category: 'correctness',
    title: 'every attempt of a keyed request carries the same Idempotency-Key and the same body',
    points: 2,
    needs: ['unsafe'],
    judge(e) {
      const c = caseOf(e, 'unsafe', 'post-keyed');
      if (isVerdict(c)) return c;
      if (c.requests.length < 2) return fail(`${describeReq(c)}: ${peerStory(c)}, so no retry could carry the key (${outcome(c)}).`);
      const key = c.cfg.req.idempotencyKey!;
      for (const [i, r] of c.requests.entries()) {
        if (r.key !== key) {
          const got = r.key === null ? 'no Idempotency-Key header' : `Idempotency-Key "${String(r.key).slice(0, 60)}"`;
          return fail(
            `attempt ${i + 1} of the keyed POST carried ${got}; the key you were given was "${key}". The server recognises a repeat only by ` +
              'that key: send the header "Idempotency-Key: <req.idempotencyKey>" on every attempt, the same value each time.',
          );
        }
        if (r.body !== c.cfg.req.body) {
          return fail(`attempt ${i + 1} of the keyed POST sent a ${String(r.body).length}-character body, not the request's ${c.cfg.req.body!.length} characters: send the same body on every attempt.`);
        }
      }
      return pass(`${c.requests.length} attempts, each with Idempotency-Key "${key}" and the same body`);
    },
  }),
  kit.check({
    id: 'idempotent-methods-retried',
    category: 'correctness',
    title: 'PUT, DELETE and HEAD are idempotent: retried after a 5xx or a reset',
    points: 1,
    needs: ['retryable'],
    judge(e) {
      const out: Verdict[] = [];
      for (const id of ['put', 'delete', 'head']) {
        const c = caseOf(e, 'retryable', id);
        if (isVerdict(c)) return c;
        const first = actionOf(c, 1).kind === 'reset' ? 'reset the connection' : 'answered with a 5xx';
        if (c.requests.length !== 2) {
          return fail(
            `the peer ${first} on the first ${c.cfg.req.method} and would answer 200 on the second; ${peerStory(c)}. ` +
              (c.requests.length < 2 ? `${c.cfg.req.method} is idempotent: retry it.` : 'Stop once an attempt succeeds.'),
          );
        }
        if (c.cfg.req.body !== undefined && c.requests.some((r) => r.body !== c.cfg.req.body)) {
          return fail(`an attempt of the PUT did not carry the request's body: send the same body on every attempt.`);
        }
        const v = resolvedWith(c, 2, `${c.cfg.req.method} retried once`);
        if (!v.pass) return v;
        out.push(v);
      }
      return pass(out.map((v) => String(v.message)).join('; '));
    },
  }),
  kit.check({
    id: 'client-error-not-retried',
    category: 'correctness',
    title: 'a 4xx is never retried: it resolves at once',
    points: 2,
    needs: ['retryable', 'unsafe'],
    judge(e) {
      const out: string[] = [];
      for (const [sc, id] of [['retryable', 'get-4xx'], ['unsafe', 'post-keyed-4xx']] as const) {
        const c = caseOf(e, sc, id);
        if (isVerdict(c)) return c;
        const status = (actionOf(c, 1) as { status: number }).status;
        if (c.requests.length !== 1) {
          return fail(
            `${describeReq(c)} was answered ${status}; ${peerStory(c)}. ` +
              (c.requests.length === 0 ? 'Send the request.' : 'A 4xx says the request itself is wrong: repeating it gets the same answer. Resolve with it at once.'),
          );
        }
        const v = resolvedWith(c, 1, `${describeReq(c)} answered ${status}`);
        if (!v.pass) return v;
        out.push(String(status));
      }
      return pass(`each 4xx (${out.join(', ')}) was sent once and resolved`);
    },
  }),
  kit.check({
    id: 'backs-off',
    category: 'backoff',
    title: 'attempts are spaced by the backoff delay, not fired back to back',
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
      if (ratios.length < 6) return fail(`only ${ratios.length} retries reached the peer, too few to see the waits between them: retry 5xx answers and resets of a GET.`);
      const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
      const meanGap = raw.reduce((a, b) => a + b, 0) / raw.length;
      if (mean < backoffFloor) {
        return fail(
          `between attempts the peer saw gaps of ${ms(meanGap)} on average (${ratios.length} retries); with baseDelayMs ${opts!.baseDelayMs} the delays ` +
            `should be about ${opts!.baseDelayMs}, ${2 * opts!.baseDelayMs}, … ms before jitter. Retrying at once hammers a server that is already failing: ` +
            'sleep min(maxDelayMs, baseDelayMs × 2^(attempt − 1)), with jitter, before each retry — and await the sleep.',
        );
      }
      return pass(`gaps between attempts averaged ${ms(meanGap)} over ${ratios.length} retries (${Math.round(mean * 100)}% of the nominal delays)`);
    },
  }),
  kit.check({
    id: 'delays-grow',
    category: 'backoff',
    title: 'the backoff delay doubles from baseDelayMs with every retry',
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
      if (late.length < growClients) return fail(`too few GETs were retried four times to see the delays grow (${late.length} waits): retry every 5xx until maxAttempts.`);
      const shape = [...byStep.entries()].map(([k, gs]) => `${k}: ${ms(median(gs))}`).join(', ');
      const second = [...late].sort((x, y) => y - x)[1]!;
      if (second < growFactor * b) {
        return fail(
          `with baseDelayMs ${b} and maxDelayMs ${opts!.maxDelayMs}, the waits before the 4th and 5th attempts stayed near the first one (median gaps by retry: ${shape}); ` +
            `doubling reaches ${4 * b} and ${8 * b} ms there before jitter. Grow the delay exponentially: baseDelayMs × 2^(attempt − 1), capped at maxDelayMs.`,
        );
      }
      return pass(`baseDelayMs ${b}, maxDelayMs ${opts!.maxDelayMs}: median gaps by retry ${shape}`);
    },
  }),
  kit.check({
    id: 'delay-capped',
    category: 'backoff',
    title: 'the backoff delay stops growing at maxDelayMs',
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
      if (judged.length === 0) return fail('too few GETs were retried four times to see whether the delay stops at maxDelayMs: retry every 5xx until maxAttempts.');
      const medians = [...byStep.entries()].filter(([, gs]) => gs.length >= 3).map(([k, gs]) => [k, median(gs)] as const);
      const shape = medians.map(([k, m]) => `${k}: ${ms(m)}`).join(', ');
      const over = medians.find(([k, m]) => k >= 3 && m > limit);
      if (over) {
        return fail(
          `with baseDelayMs ${opts!.baseDelayMs} and maxDelayMs ${opts!.maxDelayMs}, the median gap before retry ${over[0]} was ${ms(over[1])} (gaps by retry: ${shape}): ` +
            'the delay kept doubling past the cap. Clamp it: min(maxDelayMs, baseDelayMs × 2^(attempt − 1)), then jitter.',
        );
      }
      return pass(`maxDelayMs ${opts!.maxDelayMs}: median gaps by retry ${shape}`);
    },
  }),
  kit.check({
    id: 'hung-attempt-retried',
    category: 'timeouts',
    title: 'an attempt with no response within attemptTimeoutMs is abandoned and retried',
    points: 2,
    needs: ['hung'],
    judge(e) {
      const c = caseOf(e, 'hung', 'hung-once');
      if (isVerdict(c)) return c;
      const { attemptTimeoutMs: T } = c.cfg.opts;
      const hi = T + 1.3 * nominal(c.cfg.opts, 1) * 2 + lateMs;
      if (c.requests.length < 2) {
        return fail(
          `the peer read the first GET and never answered; ${peerStory(c)} and ${outcome(c)}. Bound each attempt: when no complete response ` +
            `has come within attemptTimeoutMs (${ms(T)}), destroy the attempt and retry.`,
        );
      }
      // The first attempt began at the call (the runner's clock), a little before its request reached the peer.
      const gap = c.requests[1]!.t - c.requests[0]!.t;
      const sinceCall = c.result ? c.requests[1]!.t - c.result.start : gap;
      if (sinceCall < T - earlyMs) {
        return fail(`the second attempt came ${ms(sinceCall)} after the call, before attemptTimeoutMs (${ms(T)}) had passed: give each attempt the whole attemptTimeoutMs.`);
      }
      if (gap > hi) {
        return fail(
          `the second attempt came ${ms(gap)} after the first; attemptTimeoutMs was ${ms(T)} and the backoff at most ${ms(2 * nominal(c.cfg.opts, 1))}: ` +
            'start the attempt timer when the attempt starts, and retry as soon as it fires (after the backoff).',
        );
      }
      if (c.requests.length > 2) return fail(`the second attempt was answered 200, yet ${peerStory(c)}: stop once an attempt succeeds.`);
      return resolvedWith(c, 2, `the second attempt came ${ms(sinceCall)} after the call, ${ms(gap)} after the first reached the peer (attemptTimeoutMs ${ms(T)}), and got 200`);
    },
  }),
  kit.check({
    id: 'hung-connection-closed',
    category: 'resources',
    title: "a timed-out attempt's connection is closed before the next attempt",
    points: 2,
    needs: ['hung'],
    judge(e) {
      const ev = e.evidence('hung');
      const seen: string[] = [];
      for (const id of ['hung-once', 'hung-always']) {
        const c = caseOf(e, 'hung', id);
        if (isVerdict(c)) return c;
        const hungReqs = c.requests.filter((r) => r.action === 'hang');
        if (hungReqs.length === 0) return fail(`${describeReq(c)}: ${peerStory(c)}; ${outcome(c)}.`);
        for (const [i, r] of hungReqs.entries()) {
          const closed = closedAt(ev, r.conn);
          const next = c.requests[c.requests.indexOf(r) + 1];
          const bound = next ? next.t + closeSlackMs : c.result?.kind === 'rejected' ? c.result.t + closeAfterRejectMs : undefined;
          if (bound === undefined) {
            return fail(`the peer never answered ${describeReq(c)}; ${outcome(c)}, and the attempt's connection ${closed === undefined ? 'was never closed' : 'stayed open'}: time out each attempt and destroy its request.`);
          }
          if (closed === undefined || closed > bound) {
            const when = closed === undefined ? 'never, while we watched' : next ? `only ${ms(closed - next.t)} after the next attempt arrived` : `only ${ms(closed - c.result!.t)} after the promise rejected`;
            return fail(
              `attempt ${i + 1} of ${describeReq(c)} got no answer; the peer saw its connection closed ${when}. Abandoning an attempt is not enough: ` +
                'destroy its request (req.destroy(), or abort the fetch) so the socket is closed before you retry — a hung socket left open leaks, and the server keeps working for nobody.',
            );
          }
          seen.push(next ? `${ms(next.t - closed)} before the next attempt` : `${ms(Math.max(0, closed - c.result!.t))} after the rejection`);
        }
      }
      return pass(`every timed-out attempt's connection was closed (${seen.join(', ')})`);
    },
  }),
  kit.check({
    id: 'final-timeout-rejects',
    category: 'timeouts',
    title: 'when every attempt times out, the promise rejects after maxAttempts attempts',
    points: 1,
    needs: ['hung'],
    judge(e) {
      const c = caseOf(e, 'hung', 'hung-always');
      if (isVerdict(c)) return c;
      const { attemptTimeoutMs: T, maxAttempts } = c.cfg.opts;
      const r = c.result;
      if (r?.kind !== 'rejected') {
        return fail(`no attempt of ${describeReq(c)} was ever answered (maxAttempts ${maxAttempts}, attemptTimeoutMs ${ms(T)}); ${peerStory(c)} and ${outcome(c)}. Reject with the timeout error once the last attempt times out.`);
      }
      if (c.requests.length !== maxAttempts) {
        return fail(`no attempt was ever answered, maxAttempts was ${maxAttempts}, and the peer received ${c.requests.length} request(s): make exactly maxAttempts attempts, each bounded by attemptTimeoutMs.`);
      }
      const t = r.t - r.start;
      const lo = maxAttempts * T - earlyMs;
      const hi = maxAttempts * T + 2 * nominal(c.cfg.opts, 1) * 1.3 + lateMs + 200;
      if (t < lo || t > hi) {
        return fail(`rejected ${ms(t)} after the call; ${maxAttempts} attempts of attemptTimeoutMs ${ms(T)} each, plus the backoff, come to about ${ms(maxAttempts * T + nominal(c.cfg.opts, 1))}.`);
      }
      return pass(`rejected ${ms(t)} after the call, after ${maxAttempts} timed-out attempts, with ${errorSummary(r.error)}`);
    },
  }),
  kit.check({
    id: 'refused-retried',
    category: 'error-handling',
    title: 'refused connections are retried: counted on the wire',
    points: 2,
    needs: ['refused'],
    judge(e) {
      const rec = caseOf(e, 'refused', 'refused-recovers');
      if (isVerdict(rec)) return rec;
      const always = caseOf(e, 'refused', 'refused-always');
      if (isVerdict(always)) return always;
      const N = rec.cfg.opts.maxAttempts - 2;
      if (rec.result?.kind !== 'resolved' || rec.requests.length === 0) {
        return fail(
          `the router refused the first ${N} connections with a TCP reset, then let them through; ${rec.syns.length} SYN(s) crossed it and ${outcome(rec)}. ` +
            'ECONNREFUSED means nothing was sent: retry it, with backoff.',
        );
      }
      if (rec.syns.length > N + 1) return fail(`the router refused ${N} connections, then let one through, but saw ${rec.syns.length} SYNs: one connection per attempt, and no attempt after the success.`);
      const v = resolvedWith(rec, rec.requests.length, `through on attempt ${N + 1}`);
      if (!v.pass) return v;
      const M = always.cfg.opts.maxAttempts;
      if (always.syns.length !== M) {
        return fail(
          `the router refused every connection to the other port, maxAttempts was ${M}, and ${always.syns.length} SYN(s) crossed it (${outcome(always)}): ` +
            (always.syns.length < M ? 'retry refused connections until maxAttempts attempts were made.' : 'stop after maxAttempts attempts in all.'),
        );
      }
      return pass(`through after ${N} refusals; ${M} SYNs when every connection was refused (maxAttempts ${M})`);
    },
  }),
];

const exercise: ExerciseDef = {
  id: 'safe-retry',
  title: 'Retry only what is safe to repeat',
  part: 'Part 10 — Only retry idempotent operations',
  kind: 'module',
  runner: runnerFile,
  peers: { server: peerFile },
  scenarios,
  checks,
};

export default exercise;

export type { SafeRequest };
