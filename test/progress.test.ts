/** `grade --list`: done, in progress (best and last), not started, in course order, and the course's bar. */
import t from 'tap';
import { bar, progressView } from '../grader/progress.ts';

const exercises = [
  { id: 'a-one', title: 'First', part: 'Part 1' },
  { id: 'b-two', title: 'Second', part: 'Part 1' },
  { id: 'c-three', title: 'Third', part: 'Part 2' },
];

t.test('each state, in course order, and what to do next', async (t) => {
  const view = progressView(exercises, { 'a-one': { score: 10, maxScore: 10, at: 'x', best: 10 }, 'b-two': { score: 2, maxScore: 8, at: 'x', best: 6 } }, 'en');
  const rows = view.split('\n').filter((l) => /^\s+[✔◐·] /.test(l));
  t.same(rows.map((r) => r.trim().split(/\s+/)[1]), ['a-one', 'b-two', 'c-three'], 'course order');
  t.match(rows[0], /✔ a-one .* 10\/10$/, 'done');
  t.match(rows[1], /◐ b-two .* best 6\/8 · last 2\/8$/, 'in progress: best and last');
  t.match(rows[2], /· c-three .* not started$/, 'not started');
  t.match(view, /1 of 3 exercises done · 58% of all points/, 'the course: (1 + 6/8 + 0) / 3');
  t.match(view, /Next: npx grade b-two/, 'the first exercise not done is next');
});

t.test('an exercise once passed stays done when a later grade is lower', async (t) => {
  const view = progressView(exercises, { 'a-one': { score: 4, maxScore: 10, at: 'x', best: 10 } }, 'en');
  t.match(view, /✔ a-one .* best 10\/10 · last 4\/10/);
});

t.test('every exercise done; in Vietnamese', async (t) => {
  const full = Object.fromEntries(exercises.map((e) => [e.id, { score: 1, maxScore: 1, at: 'x' }]));
  t.match(progressView(exercises, full, 'en'), /3 of 3 exercises done · 100%.*\n[\s\S]*Every exercise passes/);
  const vi = progressView(exercises, {}, 'vi');
  t.match(vi, /^Tiến độ của bạn trong khóa học: .*đã xong 0\/3 bài tập/);
  t.match(vi, /chưa bắt đầu/);
});

t.test('the bar', async (t) => {
  t.equal(bar(0, 4), '░░░░');
  t.equal(bar(0.5, 4), '██░░');
  t.equal(bar(1.7, 4), '████', 'never more than full');
});
