/**
 * Peer lifecycle, under every driver (CI: both): a peer killed mid-connection
 * closes its sockets as a killed process's are closed, its host still answers
 * (refused, not unreachable) while nothing listens, and a peer started again
 * on the same address and port is reached — every moment timed by the peers'
 * and the router's own records, not by the learner's.
 */
import t from 'tap';
import path from 'node:path';
import { bundle } from '../harness/bundle.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';
import { nowMs } from '../harness/clock.ts';
import { testedDrivers } from './lib/conformance.ts';
import { testDriver } from './lib/grade.ts';

const out = runDir();
const server = await bundle({ entry: path.join(repoRoot, 'harness/peers/tcp-server.ts'), outDir: out });
const holdProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/hold-probe.ts'), outDir: out });

for (const name of await testedDrivers()) {
  t.test(`driver ${name}`, async (t) => {
    const driver = await testDriver(name);
    t.teardown(() => driver.closeAll());

    t.test('a peer is killed and started again on the same address and port', async (t) => {
      await using lab = await driver.create({ peers: ['server'], label: 'peer-lifecycle' });
      const args = [JSON.stringify({ port: 7000, mode: 'echo' })];
      const first = await lab.startPeer('server', { file: server, args });
      t.ok(await first.waitFor('listening', 5000), 'the first peer listens');
      const learner = await lab.startLearner({ file: holdProbe, args: [JSON.stringify({ host: lab.addresses.peers.server, port: 7000 })] });
      t.ok(await learner.waitFor('echoed', 10_000), 'the learner is connected and echoed to');
      const accepted = first.eventsOf('accept')[0];
      t.ok(accepted, 'the first peer recorded the connection');

      const killedAt = nowMs();
      const exit = await first.kill();
      t.equal(exit.signal, 'SIGKILL', 'the peer died of SIGKILL');
      const ended = await learner.waitFor('ended', 5000);
      t.ok(ended && ['FIN', 'ECONNRESET'].includes(String(ended.how)), `the learner's connection ended as a killed process's does (${ended?.how})`);
      const retry = await learner.waitFor('retry', 5000);
      t.equal(retry?.code, 'ECONNREFUSED', 'while no peer runs, its host still answers: refused, not unreachable');

      const restartedAt = nowMs();
      const second = await lab.startPeer('server', { file: server, args });
      const listening = await second.waitFor('listening', 5000);
      t.ok(listening, 'a new peer listens on the same port');
      t.ok(await learner.waitFor('done', 10_000), 'the learner reaches the new peer');
      const again = second.eventsOf('accept')[0];
      t.ok(again, 'the new peer recorded the new connection');
      t.ok(again!.t >= listening!.t && listening!.t >= restartedAt - 50, "the reconnection is timed by the new peer's own record, after its start");
      t.ok(again!.remote === lab.addresses.learner || String(again!.remote).endsWith(lab.addresses.learner), 'from the learner');
      await lab.settleWire();
      const wire = lab.wire();
      const fin = wire.filter((e) => e.t >= killedAt - 50 && e.src === lab.addresses.peers.server && (e.flags.includes('fin') || e.flags.includes('rst')));
      t.ok(fin.length >= 1, 'the router saw the killed peer close its connection (FIN or RST from its address)');
      const syns = wire.filter((e) => e.t >= restartedAt && e.dst === lab.addresses.peers.server && e.flags.includes('syn') && !e.flags.includes('ack'));
      t.ok(syns.length >= 1, 'and the SYN of the reconnection');
    });
  });
}
