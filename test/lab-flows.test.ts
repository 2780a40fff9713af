/**
 * Data-plane evidence, under every driver (CI: both). On a watched service
 * the router's trace holds every segment with its payload size — data, the
 * peer's echoes, a keepalive probe and its answer, the retransmissions of a
 * segment blackholed mid-stream — timed by the router; and the kernel's
 * per-flow counters agree with the trace packet for packet.
 */
import t from 'tap';
import path from 'node:path';
import { bundle } from '../harness/bundle.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';
import { sleep } from '../harness/clock.ts';
import { dataSegments, type WireEvent } from '../harness/wire.ts';
import { testedDrivers } from './lib/conformance.ts';
import { testDriver } from './lib/grade.ts';

const out = runDir();
const server = await bundle({ entry: path.join(repoRoot, 'harness/peers/tcp-server.ts'), outDir: out });
const flowProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/flow-probe.ts'), outDir: out });
const port = 7000;

for (const name of await testedDrivers()) {
  t.test(`driver ${name}`, async (t) => {
    const driver = await testDriver(name);
    t.teardown(() => driver.closeAll());

    t.test('data segments, keepalive probes and per-flow counters of a watched service', async (t) => {
      await using lab = await driver.create({ peers: ['server'], label: 'flows', watch: [{ peer: 'server', port }] });
      const a = lab.addresses;
      const peer = await lab.startPeer('server', { file: server, args: [JSON.stringify({ port, mode: 'echo' })] });
      t.ok(await peer.waitFor('listening', 5000), 'the echo peer listens');
      const learner = await lab.startLearner({
        file: flowProbe,
        args: [JSON.stringify({ host: a.peers.server, port, size: 300, messages: 5, gapMs: 150, keepAliveMs: 1000 })],
      });
      const connected = await learner.waitFor('connected', 10_000);
      const idle = await learner.waitFor('idle', 10_000);
      t.ok(connected && idle, 'the learner sent its messages and had them echoed');
      // TCP keepalive: the first probe goes out a second after the last packet.
      await sleep(1600);
      await lab.settleWire();
      const local = Number(connected!.localPort);
      const wire = lab.wire();
      const up = (e: WireEvent) => e.proto === 'tcp' && e.src === a.learner && e.sport === local && e.dst === a.peers.server && e.dport === port;
      const down = (e: WireEvent) => e.proto === 'tcp' && e.src === a.peers.server && e.sport === port && e.dst === a.learner && e.dport === local;

      const sent = learner.eventsOf('sent');
      const data = dataSegments(wire.filter(up));
      t.same(data.map((e) => e.payload), [300, 300, 300, 300, 300], 'five data segments of 300 bytes crossed the router, each once');
      t.ok(
        data.every((e, i) => e.t >= sent[i]!.t - 5 && e.t <= sent[i]!.t + 1000),
        `each timed by the router just after the learner wrote it (lags ${data.map((e, i) => (e.t - sent[i]!.t).toFixed(0)).join(', ')} ms)`,
      );
      const gaps = data.slice(1).map((e, i) => e.t - data[i]!.t);
      t.ok(gaps.every((g) => g >= 100), `their gaps show the program's pauses of 150 ms (${gaps.map((g) => g.toFixed(0)).join(', ')} ms)`);
      t.equal(dataSegments(wire.filter(down)).reduce((n, e) => n + e.payload!, 0), 1500, 'the echoes carried 1500 bytes back');

      const last = Math.max(...wire.filter((e) => up(e) || down(e)).filter((e) => (e.payload ?? 0) > 0).map((e) => e.t));
      const probes = wire.filter((e) => up(e) && e.payload === 0 && e.flags.join() === 'ack' && e.t >= last + 800);
      t.ok(probes.length >= 1, `a keepalive probe (an empty ACK) went out ${probes[0] ? (probes[0].t - last).toFixed(0) : '?'} ms after the last data`);
      t.ok(
        probes.length >= 1 && wire.some((e) => down(e) && e.payload === 0 && e.t >= probes[0]!.t),
        'and the peer answered it',
      );

      const flows = await lab.flows();
      const flowOf = (src: string, sport: number) => flows.find((f) => f.proto === 'tcp' && f.src === src && f.sport === sport);
      const fUp = flowOf(a.learner, local);
      const fDown = flowOf(a.peers.server, port);
      t.ok(fUp && fDown, 'the router keeps a counter for each direction of the flow');
      t.equal(fUp?.packets, wire.filter(up).length, `learner → server: the counter and the trace agree (${fUp?.packets} packets)`);
      t.equal(fUp?.bytes, wire.filter(up).reduce((n, e) => n + e.length, 0), `and on the bytes (${fUp?.bytes})`);
      t.equal(fDown?.packets, wire.filter(down).length, `server → learner: ${fDown?.packets} packets, as traced`);
      t.ok((fUp?.bytes ?? 0) >= 5 * (300 + 52), 'the bytes include every payload');
    });

    t.test('a segment blackholed mid-stream is retransmitted, with growing gaps, and delivered once', async (t) => {
      await using lab = await driver.create({ peers: ['server'], label: 'retransmit', watch: [{ peer: 'server', port }] });
      const a = lab.addresses;
      const peer = await lab.startPeer('server', { file: server, args: [JSON.stringify({ port, mode: 'echo' })] });
      t.ok(await peer.waitFor('listening', 5000), 'the echo peer listens');
      const learner = await lab.startLearner({ file: flowProbe, args: [JSON.stringify({ host: a.peers.server, port, size: 200, messages: 1, gapMs: 0 })] });
      t.ok(await learner.waitFor('idle', 10_000), 'the first message went and came back');
      await lab.addFault({ id: 'blackhole', kind: 'drop', match: { peer: 'server', direction: 'from-learner', port } });
      const cut = learner.eventsOf('echoed')[0]!.t;
      learner.send({ cmd: 'send' });
      await sleep(1700);
      await lab.removeFault('blackhole');
      t.ok(await learner.waitFor('echoed', 10_000, (e) => e.t > cut), 'once the path is open again the message gets through');
      await lab.settleWire();
      const segs = dataSegments(lab.wire(), a.learner).filter((e) => e.dport === port);
      const dropped = segs.filter((e) => e.verdict === 'drop');
      t.ok(dropped.length >= 3 && dropped.every((e) => e.fault === 'blackhole' && e.payload === 200), `the router saw the same 200-byte segment dropped ${dropped.length} times`);
      const gaps = dropped.slice(1).map((e, i) => e.t - dropped[i]!.t);
      t.ok(gaps.length >= 2 && gaps.at(-1)! > gaps[0]! + 150, `the retransmissions back off (gaps ${gaps.map((g) => g.toFixed(0)).join(', ')} ms)`);
      const through = segs.filter((e) => e.verdict === 'accept' && e.t > dropped.at(-1)!.t);
      t.ok(through.length >= 1 && through[0]!.payload === 200, 'then a copy went through');
      const received = peer.eventsOf('data').reduce((n, e) => n + Number(e.bytes), 0);
      t.equal(received, 400, 'and the peer received it once (400 bytes in all): retransmissions, not new writes');
    });
  });
}
