/**
 * NAT with mappings that end, under every driver (CI: both). A masquerade
 * with an idle lifetime lets a long-lived flow die silently once it has been
 * quiet for longer: its next segments are dropped on the router (and named by
 * the trace and the counters), the peer never hears of them, and a new
 * connection is mapped afresh. Mappings can also be removed at a point of a
 * scenario's timeline, here with a reset as the answer.
 */
import t from 'tap';
import path from 'node:path';
import { bundle } from '../harness/bundle.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';
import { sleep } from '../harness/clock.ts';
import { dataSegments } from '../harness/wire.ts';
import { testedDrivers } from './lib/conformance.ts';
import { testDriver } from './lib/grade.ts';

const out = runDir();
const server = await bundle({ entry: path.join(repoRoot, 'harness/peers/tcp-server.ts'), outDir: out });
const flowProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/flow-probe.ts'), outDir: out });
const port = 7000;
const probeArgs = (host: string) => [JSON.stringify({ host, port, size: 100, messages: 1, gapMs: 0 })];

for (const name of await testedDrivers()) {
  t.test(`driver ${name}`, async (t) => {
    const driver = await testDriver(name);
    t.teardown(() => driver.closeAll());

    t.test('a mapping idle past its lifetime dies silently; a new connection is mapped afresh', async (t) => {
      await using lab = await driver.create({
        peers: ['server'],
        label: 'nat-idle',
        faults: [{ id: 'nat', kind: 'masquerade', idleTimeoutS: 1 }],
        watch: [{ peer: 'server', port }],
      });
      const a = lab.addresses;
      const peer = await lab.startPeer('server', { file: server, args: [JSON.stringify({ port, mode: 'echo' })] });
      t.ok(await peer.waitFor('listening', 5000), 'the echo peer listens');
      // Beside it, a flow that talks every 400 ms: each packet keeps its mapping alive.
      const steady = await lab.startLearner({ file: flowProbe, args: [JSON.stringify({ host: a.peers.server, port, size: 10, messages: 7, gapMs: 400 })] });
      const learner = await lab.startLearner({ file: flowProbe, args: probeArgs(a.peers.server) });
      const first = await learner.waitFor('echoed', 10_000);
      t.ok(first, 'the first message went through the NAT and came back');
      const routerSide = a.peers.server.replace(/\.\d+$/, '.1');
      // The peer's events travel on their own pipe: the learner can hear its
      // echo before the grader has read the peer's record of the accept.
      const accepted = await peer.waitFor('accept', 2000);
      t.equal(accepted?.remote, routerSide, "the peer saw the router's address, not the learner's: translated");

      await sleep(2200);
      learner.send({ cmd: 'send' });
      const late = await learner.waitFor('echoed', 1800, (e) => e.t > first!.t);
      t.notOk(late, 'after 2.2 s of silence the next message never comes back');
      t.notOk(learner.eventsOf('failed')[0], 'and nothing told the learner so (no reset)');
      await lab.settleWire();
      const lost = dataSegments(lab.wire(), a.learner).filter((e) => e.verdict === 'drop');
      t.ok(lost.length >= 2 && lost.every((e) => e.fault === 'nat/expired' && e.payload === 100), `the router dropped its segment and the retransmissions (${lost.length}), naming the lost mapping`);
      t.ok(((await lab.counters())['nat/expired']?.packets ?? 0) >= lost.length, 'and counted them');
      t.equal(peer.eventsOf('data').filter((e) => e.bytes === 100).length, 1, 'the peer received only the first message');
      const steadyDone = await steady.waitFor('idle', 10_000);
      t.ok(steadyDone && steady.eventsOf('echoed').length === 7, `meanwhile the flow that spoke every 400 ms kept its mapping for ${((steadyDone?.t ?? 0) - (steady.eventsOf('connected')[0]?.t ?? 0)) / 1000 | 0}+ s: all 7 messages echoed`);

      const again = await lab.startLearner({ file: flowProbe, args: probeArgs(a.peers.server) });
      t.ok(await again.waitFor('echoed', 10_000), 'a new connection is mapped afresh and works');
    });

    t.test('mappings removed at a point of the timeline, answered with a reset', async (t) => {
      await using lab = await driver.create({ peers: ['server'], label: 'nat-expire', faults: [{ id: 'nat', kind: 'masquerade', expired: 'reset' }] });
      const a = lab.addresses;
      const peer = await lab.startPeer('server', { file: server, args: [JSON.stringify({ port, mode: 'echo' })] });
      t.ok(await peer.waitFor('listening', 5000), 'the echo peer listens');
      const learner = await lab.startLearner({ file: flowProbe, args: probeArgs(a.peers.server) });
      const first = await learner.waitFor('echoed', 10_000);
      t.ok(first, 'the first message went through the NAT and came back');
      await sleep(2200);
      learner.send({ cmd: 'send' });
      const second = await learner.waitFor('echoed', 5000, (e) => e.t > first!.t);
      t.ok(second, 'without a lifetime, 2.2 s of silence cost the mapping nothing');

      await lab.expireMappings('nat');
      learner.send({ cmd: 'send' });
      const failed = await learner.waitFor('failed', 5000);
      t.equal(failed?.code, 'ECONNRESET', 'once the mappings are removed, the next message meets a reset');
      t.ok(((await lab.counters())['nat/expired']?.packets ?? 0) >= 1, 'counted as the lost mapping');
      t.equal(peer.eventsOf('data').length, 2, 'the peer received the two messages before the removal only');
      const again = await lab.startLearner({ file: flowProbe, args: probeArgs(a.peers.server) });
      t.ok(await again.waitFor('echoed', 10_000), 'a new connection is mapped afresh and works');
    });
  });
}
