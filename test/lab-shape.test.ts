/**
 * Rate limits on the router's links, under every driver (CI: both): a token
 * bucket (tbf) toward the learner makes 100 kB take about a second at
 * 800 kbit/s while the other direction stays fast; lifted, the same transfer
 * is quick again; set toward a peer while the lab runs, it slows what that
 * peer receives. Times from the peer's own records and the learner program's.
 */
import t from 'tap';
import path from 'node:path';
import { bundle } from '../harness/bundle.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';
import type { LabProcess } from '../harness/process.ts';
import { testedDrivers } from './lib/conformance.ts';
import { testDriver } from './lib/grade.ts';

const out = runDir();
const server = await bundle({ entry: path.join(repoRoot, 'harness/peers/tcp-server.ts'), outDir: out });
const flowProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/flow-probe.ts'), outDir: out });
const port = 7000;
const size = 100_000;

/** One message of `size` bytes: ms until the peer had all of it, and until all of it was back. */
async function transfer(learner: LabProcess, peer: LabProcess, n: number): Promise<{ up: number; round: number }> {
  if (n > 1) learner.send({ cmd: 'send' });
  const sent = await learner.waitFor('sent', 5000, () => learner.eventsOf('sent').length >= n);
  const back = await learner.waitFor('echoed', 15_000, () => learner.eventsOf('echoed').length >= n);
  const got = await peer.waitFor('data', 5000, (e) => Number(e.total) >= n * size);
  if (!sent || !back || !got) throw new Error(`transfer ${n} did not complete`);
  const s = learner.eventsOf('sent')[n - 1]!.t;
  return { up: got.t - s, round: learner.eventsOf('echoed')[n - 1]!.t - s };
}

for (const name of await testedDrivers()) {
  t.test(`driver ${name}: a rate limit on a link`, async (t) => {
    const driver = await testDriver(name);
    t.teardown(() => driver.closeAll());
    await using lab = await driver.create({ peers: ['server'], label: 'shape', shapes: [{ direction: 'to-learner', rateKbit: 800 }] });
    const peer = await lab.startPeer('server', { file: server, args: [JSON.stringify({ port, mode: 'echo' })] });
    t.ok(await peer.waitFor('listening', 5000), 'the echo peer listens');
    const learner = await lab.startLearner({ file: flowProbe, args: [JSON.stringify({ host: lab.addresses.peers.server, port, size, messages: 1, gapMs: 0 })] });

    const limited = await transfer(learner, peer, 1);
    t.ok(limited.up < 600, `toward the peer, unlimited: 100 kB arrived in ${limited.up.toFixed(0)} ms`);
    t.ok(limited.round - limited.up >= 800 && limited.round - limited.up <= 2500, `back toward the learner at 800 kbit/s: ${(limited.round - limited.up).toFixed(0)} ms (1000 ms at the rate)`);

    await lab.shape({ direction: 'to-learner', rateKbit: 0 });
    const lifted = await transfer(learner, peer, 2);
    t.ok(lifted.round < 600, `limit lifted: the round trip of 100 kB took ${lifted.round.toFixed(0)} ms`);

    await lab.shape({ direction: 'from-learner', peer: 'server', rateKbit: 800 });
    const toPeer = await transfer(learner, peer, 3);
    t.ok(toPeer.up >= 800 && toPeer.up <= 2500, `limit set toward the peer while the lab runs: it received 100 kB in ${toPeer.up.toFixed(0)} ms`);
  });
}
