import t from 'tap';
import { humanReport, jsonReport } from '../grader/report.ts';
import type { GradeResult } from '../grader/grade.ts';
import { distance, nearest } from '../grader/suggest.ts';
import { readsAsTimeout, errorSummary, firstErrorLine } from '../grader/evidence.ts';

const result: GradeResult = {
  exercise: 'connect-timeout',
  score: 2,
  maxScore: 3,
  passed: false,
  driver: 'netns',
  seed: 424242,
  drawn: { 'drop-syn.connectMs': 1700 },
  wallMs: 1234,
  timings: [{ id: 's', trials: 1, setupMs: [30], totalMs: [900], inherentWaitMs: 500, runs: 1 }],
  checks: [
    { id: 'a', category: 'timeouts', title: 'A', status: 'pass', points: 2, maxPoints: 2, message: 'fine' },
    { id: 'b', category: 'resources', title: 'B', status: 'fail', points: 0, maxPoints: 1, message: '3 more SYNs crossed the router' },
  ],
};

t.test('JSON report has exactly the documented fields', async (t) => {
  const j = jsonReport(result);
  t.same(Object.keys(j).sort(), ['checks', 'driver', 'exercise', 'maxScore', 'passed', 'score', 'seed']);
  t.equal(j.seed, 424242);
  for (const c of j.checks) t.same(Object.keys(c).sort(), ['category', 'id', 'maxPoints', 'message', 'points', 'status', 'title']);
});

t.test('human report groups by category and explains failures', async (t) => {
  const h = humanReport(result, 'Connect with a timeout');
  t.match(h, /timeouts\s+2\/2/);
  t.match(h, /resources\s+0\/1/);
  t.match(h, /✘ B \(0\/1\)\n\s+3 more SYNs crossed the router/);
  t.notMatch(h, /fine/, 'messages of passing checks stay out of the way');
  t.match(h, /Score 2\/3/);
  t.match(h, /seed 424242 .*grade connect-timeout --seed 424242/, 'the seed to replay the run');
  t.ok(h.indexOf('timeouts') < h.indexOf('resources'), 'course order of categories');
});

t.test('suggestions for a mistyped exercise', async (t) => {
  t.equal(distance('kitten', 'sitting'), 3);
  const names = ['connect-timeout', 'retry-backoff', 'error-handlers', 'graceful-shutdown'];
  t.same(nearest('conect-timeout', names), ['connect-timeout']);
  t.same(nearest('retry', names), ['retry-backoff']);
  t.same(nearest('zzzzzzzzzzzzzzzzzzzzzzz', names), []);
});

t.test('every accepted way to name a timeout', async (t) => {
  t.ok(readsAsTimeout({ code: 'ETIMEDOUT' }));
  t.ok(readsAsTimeout({ name: 'TimeoutError' }));
  for (const m of ['connect timeout', 'Timed out after 5s', 'TIMEOUT', 'time-out', 'operation timed out']) t.ok(readsAsTimeout({ message: m }), m);
  for (const m of ['connection failed', 'not implemented yet', 'ECONNREFUSED']) t.notOk(readsAsTimeout({ message: m }), m);
  t.notOk(readsAsTimeout(undefined));
});

t.test('error summaries and crash lines', async (t) => {
  t.equal(errorSummary({ isError: true, code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }), 'an error with code ECONNREFUSED, "connect ECONNREFUSED"');
  t.match(errorSummary({ isError: false, message: 'x' }), /not an Error object/);
  t.equal(firstErrorLine('node:events:497\n      throw er;\n\nError: read ECONNRESET\n    at TCP.onStreamRead\n\nNode.js v20'), ': Error: read ECONNRESET');
  t.equal(firstErrorLine(''), '');
});
