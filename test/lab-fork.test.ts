/**
 * Learner programs that fork, under every driver (CI: both): a cluster
 * primary with four workers runs within the default learner limits (a pids
 * limit counts threads; each worker holds some memory), its workers answer a
 * peer, and when the learner is stopped no process of its tree survives.
 */
import t from 'tap';
import path from 'node:path';
import { bundle } from '../harness/bundle.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';
import { testedDrivers } from './lib/conformance.ts';
import { testDriver } from './lib/grade.ts';

const out = runDir();
const clusterServer = await bundle({ entry: path.join(repoRoot, 'test/fixtures/cluster-server.ts'), outDir: out });
const pidClient = await bundle({ entry: path.join(repoRoot, 'test/fixtures/pid-client.ts'), outDir: out });
const port = 7100;

for (const name of await testedDrivers()) {
  t.test(`driver ${name}: a primary with four workers`, async (t) => {
    const driver = await testDriver(name);
    t.teardown(() => driver.closeAll());
    await using lab = await driver.create({ peers: ['client'], label: 'fork' });
    const learner = await lab.startLearner({ file: clusterServer, env: { PORT: String(port) } });
    const client = await lab.startPeer('client', { file: pidClient, args: [JSON.stringify({ host: lab.addresses.learner, port, count: 24, workers: 4 })] });
    t.ok(await client.waitFor('done', 30_000), 'the peer got 24 answers, or more until 4 workers answered');
    const pids = new Set(client.eventsOf('reply').map((e) => String(e.pid)));
    t.equal(pids.size, 4, `every worker answered: ${pids.size} of 4 (${[...pids].join(', ')})`);
    t.ok(learner.running, 'the primary still runs: within the limits of memory and processes');
    t.notOk(learner.memoryLimitHit?.(), 'no memory limit was hit');
    const exit = await learner.kill();
    t.ok(exit.signal === 'SIGKILL' || exit.code !== null, 'stopping the learner ends its process');
    const after = await lab.startPeer('client', { file: pidClient, args: [JSON.stringify({ host: lab.addresses.learner, port, count: 1 })] });
    t.notOk(await after.waitFor('reply', 1500), 'and no worker of it answers any more: the whole tree is gone');
  });
}
