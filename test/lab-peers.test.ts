/**
 * Peer lifecycle, under every driver (CI: both): a peer killed mid-connection
 * closes its sockets as a killed process's are closed, its host still answers
 * (refused, not unreachable) while nothing listens, and a peer started again
 * on the same address and port is reached — every moment timed by the peers'
 * and the router's own records, not by the learner's. Several peers, with
 * faults matched per peer.
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
const connectProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/connect-probe.ts'), outDir: out });

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
      const accepted = await first.waitFor('accept', 2000); // its own pipe: may trail the learner's
      t.ok(accepted, 'the first peer recorded the connection');

      const killedAt = nowMs();
      const exit = await first.kill();
      t.equal(exit.signal, 'SIGKILL', 'the peer died of SIGKILL');
      const ended = await learner.waitFor('ended', 5000);
      t.ok(ended && ['FIN', 'ECONNRESET'].includes(String(ended.how)), `the learner's connection ended as a killed process's does (${ended?.how})`);
      // A killed process's sockets close one by one: its connection can close
      // a moment before its listener does, and a try in that moment is
      // accepted, then reset. The host answers refused once the listener is gone.
      const refused = await learner.waitFor('retry', 5000, (e) => e.code === 'ECONNREFUSED');
      const tries = learner.eventsOf('retry').map((e) => String(e.code));
      t.ok(refused, `while no peer runs, its host still answers: refused, not unreachable (tries: ${tries.join(', ') || 'none'})`);
      t.notOk(tries.some((c) => /UNREACH|timeout/.test(c)), 'no try went unanswered or unreachable');

      const restartedAt = nowMs();
      const second = await lab.startPeer('server', { file: server, args });
      const listening = await second.waitFor('listening', 5000);
      t.ok(listening, 'a new peer listens on the same port');
      t.ok(await learner.waitFor('done', 10_000), 'the learner reaches the new peer');
      const again = await second.waitFor('accept', 2000);
      t.ok(again, 'the new peer recorded the new connection');
      t.ok(again && listening && again.t >= listening.t && listening.t >= restartedAt - 50, "the reconnection is timed by the new peer's own record, after its start");
      t.ok(again && (again.remote === lab.addresses.learner || String(again.remote).endsWith(lab.addresses.learner)), 'from the learner');
      await lab.settleWire();
      const wire = lab.wire();
      const fin = wire.filter((e) => e.t >= killedAt - 50 && e.src === lab.addresses.peers.server && (e.flags.includes('fin') || e.flags.includes('rst')));
      t.ok(fin.length >= 1, 'the router saw the killed peer close its connection (FIN or RST from its address)');
      const syns = wire.filter((e) => e.t >= restartedAt && e.dst === lab.addresses.peers.server && e.flags.includes('syn') && !e.flags.includes('ack'));
      t.ok(syns.length >= 1, 'and the SYN of the reconnection');
    });

    t.test('several peers, each with faults of its own', async (t) => {
      await using lab = await driver.create({
        peers: ['a', 'b'],
        label: 'per-peer-faults',
        faults: [
          { id: 'drop-a', kind: 'drop', match: { peer: 'a', port: 7000, synOnly: true } },
          { id: 'reset-b', kind: 'reject-tcp-reset', match: { peer: 'b', direction: 'from-learner', proto: 'tcp', port: 7001 } },
        ],
      });
      for (const p of ['a', 'b']) {
        for (const port of [7000, 7001]) {
          const peer = await lab.startPeer(p, { file: server, args: [JSON.stringify({ port, mode: 'echo' })] });
          t.ok(await peer.waitFor('listening', 5000), `${p}:${port} listens`);
        }
      }
      const outcomes: Record<string, string> = {};
      for (const p of ['a', 'b']) {
        const probe = await lab.startLearner({ file: connectProbe, args: [JSON.stringify({ host: lab.addresses.peers[p], ports: [7000, 7001], timeoutMs: 1200 })] });
        t.ok(await probe.waitFor('done', 15_000), `the probe of ${p} ends`);
        for (const e of probe.eventsOf('result')) outcomes[`${p}:${e.port}`] = String(e.outcome);
      }
      t.same(outcomes, { 'a:7000': 'timeout', 'a:7001': 'connected', 'b:7000': 'connected', 'b:7001': 'ECONNREFUSED' }, 'each fault touched its own peer only');
      await lab.settleWire();
      const c = await lab.counters();
      t.ok(c['drop-a']!.packets >= 1, 'the drop to a counted its SYNs');
      t.equal(c['reset-b']!.packets, 1, 'the reset to b counted one SYN');
      const stopped = lab.wire().filter((e) => e.verdict === 'drop');
      const toA = stopped.filter((e) => e.fault === 'drop-a');
      const toB = stopped.filter((e) => e.fault === 'reset-b');
      t.ok(toA.length >= 1 && toA.every((e) => e.dst === lab.addresses.peers.a && e.dport === 7000), "the trace names a's fault on SYNs to a:7000 only");
      t.ok(toB.length === 1 && toB[0]!.dst === lab.addresses.peers.b && toB[0]!.dport === 7001, "and b's on the SYN to b:7001");
      t.equal(stopped.length, toA.length + toB.length, 'nothing else was stopped');
    });
  });
}
