/**
 * The docker driver's one lab container (its default design, harness/docker/labs-container.ts):
 * every lab of a grader process is built by the netns driver inside one lab
 * container and driven over its stdio (harness/remote/). References are
 * graded through it, and the grader must end on its own with nothing left: an
 * idle connection to the lab container holds nothing open.
 */
import { spawnSync } from 'node:child_process';
import t from 'tap';

delete process.env.NETPROG_DOCKER_LABS;
const { makeDriver } = await import('../grader/drivers.ts');

const status = await makeDriver('docker').status();
if (!status.usable) {
  if (process.env.CI === 'true') t.fail(`driver docker cannot run here: ${status.problems.join('; ')}`);
  else t.plan(0, `no usable Docker here: ${status.problems.join('; ')}`);
} else {

  t.test('references grade full through one lab container, and the grader then ends by itself', async (t) => {
    const script = `
      import { findExercise } from './grader/exercises.ts';
      import { grade } from './grader/grade.ts';
      import { solutionFile } from './grader/paths.ts';
      import { makeDriver } from './grader/drivers.ts';
      const driver = makeDriver('docker');
      const out = [];
      for (const id of ['error-handlers', 'connect-timeout']) {
        const r = await grade({ exercise: findExercise(id), file: solutionFile(id), driver });
        out.push({ id, score: r.score, maxScore: r.maxScore, failed: r.checks.filter((c) => c.status !== 'pass').map((c) => c.id + ': ' + c.message) });
      }
      console.log(JSON.stringify(out));
      // No closeAll, no exit: the process must end by itself.
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url).pathname,
      env: { ...process.env },
      encoding: 'utf8',
      timeout: 120_000,
    });
    t.equal(r.signal, null, `the grader ended by itself (not killed at the 120 s bound): ${r.stderr.slice(-800)}`);
    t.equal(r.status, 0, r.stderr.slice(-800));
    const graded = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '[]') as Array<{ id: string; score: number; maxScore: number; failed: string[] }>;
    t.equal(graded.length, 2);
    for (const g of graded) t.equal(g.score, g.maxScore, `${g.id} reference full\n${g.failed.join('\n')}`);
    // Its stdin closed with the grader: the lab server closes every lab and exits, and Docker removes the container.
    const left = () => spawnSync('docker', ['ps', '-aq', '--filter', 'label=netprog-grade.role=labs'], { encoding: 'utf8' }).stdout.trim();
    for (let i = 0; i < 100 && left() !== ''; i++) await new Promise((r) => setTimeout(r, 100));
    t.equal(left(), '', 'no lab container is left');
  });
}
