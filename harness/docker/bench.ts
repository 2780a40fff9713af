/**
 * Figures for the docker driver (and netns beside it, where permitted):
 * lab setup time, and wall time per exercise against its longest inherent
 * wait. `node docker/bench.mjs [--labs N] [--exercises a,b] [--drivers docker,netns]`
 */
import { parseArgs } from 'node:util';
import { makeDriver, type DriverName } from '../../grader/drivers.ts';
import { exercises } from '../../grader/exercises.ts';
import { grade } from '../../grader/grade.ts';
import { solutionFile } from '../../grader/paths.ts';
import { nowMs } from '../clock.ts';
import { ensureImage } from './image.ts';

const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(0)} ms, p90 ${q(0.9).toFixed(0)} ms, min ${s[0]!.toFixed(0)} ms (n=${s.length})`;
};

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { labs: { type: 'string', default: '8' }, exercises: { type: 'string' }, drivers: { type: 'string', default: 'docker,netns' } },
  });
  const drivers = values.drivers!.split(',') as DriverName[];
  const chosen = values.exercises ? exercises.filter((e) => values.exercises!.split(',').includes(e.id)) : exercises;
  if (drivers.includes('docker')) {
    const t = nowMs();
    await ensureImage();
    console.log(`docker image: ready (cached check) in ${(nowMs() - t).toFixed(0)} ms`);
  }
  for (const name of drivers) {
    const driver = makeDriver(name);
    const st = await driver.status();
    if (!st.usable) {
      console.log(`${name}: not usable (${st.problems.join('; ')})`);
      continue;
    }
    await driver.reapStale();
    for (const peers of [['server'], ['a', 'b']]) {
      const setup: number[] = [];
      const close: number[] = [];
      for (let i = 0; i < Number(values.labs); i++) {
        const t0 = nowMs();
        const lab = await driver.create({ peers, faults: [{ id: 'drop', kind: 'drop', match: { proto: 'tcp', port: 7001 } }] });
        setup.push(nowMs() - t0);
        const t1 = nowMs();
        await lab.close();
        close.push(nowMs() - t1);
      }
      console.log(`${name}: lab with ${peers.length} peer(s), one at a time — setup ${stats(setup)}; close ${stats(close)}`);
    }
    for (const exercise of chosen) {
      const r = await grade({ exercise, file: solutionFile(exercise.id), driver });
      const longest = Math.max(...exercise.scenarios.map((s) => s.inherentWaitMs));
      const setups = r.timings.flatMap((t) => t.setupMs);
      const trials = r.timings.reduce((n, t) => n + t.trials, 0);
      console.log(
        `${name}: ${exercise.id} ${r.score}/${r.maxScore} in ${(r.wallMs / 1000).toFixed(1)} s ` +
          `(longest inherent wait ${(longest / 1000).toFixed(1)} s, aim ${((longest + 5000) / 1000).toFixed(1)} s; ` +
          `${trials} labs, setup under load ${stats(setups)})`,
      );
    }
    await driver.closeAll();
  }
  return 0;
}
