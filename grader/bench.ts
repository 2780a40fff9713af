/**
 * `npm run bench`: grades each reference and reports, per exercise and
 * driver, wall time beside the time its scenarios must wait by design, and
 * lab setup time per scenario. Figures, not assertions: a noisy machine
 * shifts them, so read them side by side.
 *
 *   npm run bench [-- --driver netns|docker] [--runs N] [--exercise ID] [--image-cold]
 *
 * --image-cold removes the Docker lab image first, to time its first build.
 */
import { parseArgs } from 'node:util';
import { driverNames, pickDriver, type DriverName } from './drivers.ts';
import { exercises } from './exercises.ts';
import { grade } from './grade.ts';
import { solutionFile } from './paths.ts';
import { median } from './evidence.ts';
import { nowMs } from '../harness/clock.ts';
import { ensureImage, imageCached, imageTag } from '../harness/docker/image.ts';
import { $try } from '../harness/exec.ts';

const usage = 'usage: npm run bench [-- --driver netns|docker] [--runs N] [--exercise ID] [--image-cold]';
let parsed;
try {
  parsed = parseArgs({
    options: {
      driver: { type: 'string', multiple: true },
      runs: { type: 'string', default: '3' },
      exercise: { type: 'string' },
      'image-cold': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
const { values } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const runs = Number(values.runs);
const wanted = (values.driver as DriverName[] | undefined) ?? [...driverNames];

/** The Docker lab image: its first build (with --image-cold) and the cached check every run makes. */
async function imageFigures(cold: boolean): Promise<void> {
  if (cold) {
    await $try`docker image rm -f ${imageTag()}`;
    const t0 = nowMs();
    await ensureImage(() => {});
    console.log(`driver docker: lab image built from nothing in ${f0(nowMs() - t0)} ms`);
  } else if (!(await imageCached())) {
    const t0 = nowMs();
    await ensureImage(() => {});
    console.log(`driver docker: lab image built in ${f0(nowMs() - t0)} ms (first time on this machine)`);
  }
  const t1 = nowMs();
  await ensureImage(() => {});
  console.log(`driver docker: lab image cached, checked in ${f0(nowMs() - t1)} ms`);
}

const pad = (s: string | number, n: number) => String(s).padStart(n);
const f0 = (n: number) => n.toFixed(0);

for (const name of wanted) {
  const picked = await pickDriver(name);
  if ('problems' in picked) {
    console.log(`driver ${name}: not usable here (${picked.problems.join('; ')})\n`);
    continue;
  }
  const { driver } = picked;
  await driver.reapStale();
  if (name === 'docker') await imageFigures(Boolean(values['image-cold']));
  // Lab setup on its own: one lab at a time, as a scenario sees it on an idle machine.
  const alone: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = nowMs();
    const lab = await driver.create({ peers: ['server'], faults: [{ id: 'drop-syn', kind: 'drop', match: { proto: 'tcp', port: 7001, synOnly: true } }] });
    alone.push(nowMs() - t0);
    await lab.close();
  }
  console.log(`driver ${name}: lab setup alone, 10 labs one after another: median ${f0(median(alone))} ms, max ${f0(Math.max(...alone))} ms`);
  console.log(`driver ${name} — ${runs} run(s) per exercise, reference solutions, medians`);
  console.log(`${'exercise'.padEnd(20)}${pad('wall ms', 9)}${pad('wait ms', 9)}${pad('over ms', 9)}${pad('setup ms', 10)}${pad('setup max', 11)}${pad('labs', 6)}  score`);
  for (const ex of exercises.filter((e) => !values.exercise || e.id === values.exercise)) {
    const walls: number[] = [];
    const setups: number[] = [];
    let inherent = 0;
    let labs = 0;
    const scores: string[] = [];
    for (let i = 0; i < runs; i++) {
      const r = await grade({ exercise: ex, file: solutionFile(ex.id), driver });
      walls.push(r.wallMs);
      scores.push(`${r.score}/${r.maxScore}`);
      inherent = Math.max(0, ...r.timings.map((t) => t.inherentWaitMs));
      labs = r.timings.reduce((a, t) => a + t.trials, 0);
      setups.push(...r.timings.flatMap((t) => t.setupMs));
    }
    const wall = median(walls);
    console.log(
      `${ex.id.padEnd(20)}${pad(f0(wall), 9)}${pad(f0(inherent), 9)}${pad(f0(wall - inherent), 9)}${pad(f0(median(setups)), 10)}${pad(f0(Math.max(...setups)), 11)}${pad(labs, 6)}  ${[...new Set(scores)].join(' ')}`,
    );
  }
  console.log('');
}
console.log('wall: whole grade; wait: longest scenario wait by design; over: wall − wait; setup: per lab (scenario trial) while the exercise\'s labs start together.');
