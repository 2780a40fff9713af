/**
 * Added one-way latency on the router (Lab.delay), under every driver (CI:
 * both): TCP connect time and an echo's round trip from the learner to a peer,
 * without delay, with 100 ms toward the peer, with 100 ms both ways, on one
 * flow only, and after the delays are removed; a delayed flow's SYN is still
 * in wire(); a delay in the spec is in force from the start. Times from the
 * learner program's own records. Windows: never less than the delay (a packet
 * is held at least that long), at most 150 ms more (a busy 2-core machine).
 * This kernel has no sch_netem, so the labs test the delaying program; where
 * netem goes, and the message when neither can delay, are tested on a
 * router of fakes.
 */
import t from 'tap';
import path from 'node:path';
import { bundle } from '../harness/bundle.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';
import type { Lab } from '../harness/lab.ts';
import type { LabProcess } from '../harness/process.ts';
import { RouterLink, type RouterPort } from '../harness/router/link.ts';
import { testedDrivers } from './lib/conformance.ts';
import { testDriver } from './lib/grade.ts';

const out = runDir();
const server = await bundle({ entry: path.join(repoRoot, 'harness/peers/tcp-server.ts'), outDir: out });
const flowProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/flow-probe.ts'), outDir: out });
const port = 7000;
const otherPort = 7001;
const slack = 150;

interface Probe {
  learner: LabProcess;
  connectMs: number;
  localPort: number;
}

/** A learner connected to the peer's echo service on `p`, with the time its connect took. */
async function connect(lab: Lab, p: number): Promise<Probe> {
  const learner = await lab.startLearner({ file: flowProbe, args: [JSON.stringify({ host: lab.addresses.peers.server, port: p, size: 64, messages: 1, gapMs: 0 })] });
  const echoed = await learner.waitFor('echoed', 10_000);
  if (!echoed) throw new Error(`no echo on port ${p}: ${JSON.stringify(learner.eventsOf('failed'))}`);
  const [connecting, connected] = [learner.eventsOf('connecting')[0]!, learner.eventsOf('connected')[0]!];
  return { learner, connectMs: connected.t - connecting.t, localPort: Number(connected.localPort) };
}

/** Three echo round trips on the probe's connection: the least and the median, in ms. */
async function roundTrips(probe: Probe): Promise<{ min: number; median: number; all: number[] }> {
  const all: number[] = [];
  for (let i = 0; i < 3; i++) {
    const n = probe.learner.eventsOf('echoed').length + 1;
    probe.learner.send({ cmd: 'send' });
    const back = await probe.learner.waitFor('echoed', 10_000, () => probe.learner.eventsOf('echoed').length >= n);
    if (!back) throw new Error('an echo did not come back');
    all.push(back.t - probe.learner.eventsOf('sent')[n - 1]!.t);
  }
  const sorted = [...all].sort((a, b) => a - b);
  return { min: sorted[0]!, median: sorted[1]!, all: all.map((ms) => Math.round(ms)) };
}

const within = (ms: number, low: number): boolean => ms >= low && ms < low + slack;

/** A router that records the commands it is given: `netem` says whether its kernel has sch_netem. */
function fakeRouter(netem: boolean, delayer?: () => Promise<void>): { link: RouterLink; calls: string[] } {
  const calls: string[] = [];
  const port: RouterPort = {
    nft: async (args, input) => {
      calls.push(`nft ${args.join(' ')}\n${input ?? ''}`);
      return { code: 0, stdout: '', stderr: '' };
    },
    tc: async (args) => {
      calls.push(`tc ${args.join(' ')}`);
      const unknown = args.includes('netem') && !netem;
      return { code: unknown ? 2 : 0, stdout: '', stderr: unknown ? 'Error: Specified qdisc kind is unknown.' : '' };
    },
    sendProbe: () => {},
    ...(delayer ? { delayer } : {}),
  };
  return { link: new RouterLink(port, ['server', 'client']), calls };
}

t.test('where a delay goes: netem for a whole link, the program otherwise', async (t) => {
  let started = 0;
  const { link, calls } = fakeRouter(true, async () => void started++);
  await link.delay({ direction: 'to-learner', ms: 100 });
  t.same(calls, ['tc qdisc replace dev eth-l root netem delay 100ms limit 4096'], 'a whole link\'s constant delay: netem');
  t.equal(started, 0, 'no program');

  calls.length = 0;
  await link.delay({ direction: 'from-learner', match: { proto: 'tcp', port: 80 }, ms: 50, jitterMs: 10 });
  t.equal(started, 1, 'a flow\'s delay: the program');
  const rules = calls.find((c) => c.startsWith('nft'))!;
  t.match(rules, /flush chain inet lab delay\n/, 'the program\'s chain is replaced whole');
  t.match(rules, /oifname "eth-l" meta mark set 2147483748 comment "delay"/, 'the link\'s delay moves to the program (mark: flag | 100 ms)');
  t.match(rules, /iifname "eth-l" meta l4proto tcp tcp dport 80 meta mark set 2148139058 comment "delay"/, 'the flow\'s: flag | 10 << 16 | 50');
  t.ok(calls.includes('tc qdisc del dev eth-l root'), 'and netem leaves the link');

  calls.length = 0;
  await link.delay({ direction: 'from-learner', match: { port: 80, proto: 'tcp' }, ms: 0 });
  t.same(calls, ['tc qdisc replace dev eth-l root netem delay 100ms limit 4096', 'nft -f -\nadd chain inet lab delay { type filter hook forward priority 10; policy accept; }\nflush chain inet lab delay\n'], 'removed (same match, keys in another order): the link\'s delay is netem\'s again');

  calls.length = 0;
  await link.shape({ direction: 'to-learner', rateKbit: 800 });
  t.match(calls.join('\n'), /tbf rate 800kbit[^]*meta mark set 2147483748/, 'a rate limit takes the root: the delay moves to the program');
  await t.rejects(link.delay({ direction: 'to-learner', ms: 100, jitterMs: 200 }), /jitterMs 200/, 'jitter beyond the delay is refused');
});

t.test('neither netem nor the program: one clear message', async (t) => {
  const { link } = fakeRouter(false, async () => {
    throw new Error('it exited (127): nsenter: failed to execute python3: No such file or directory');
  });
  await t.rejects(
    link.delay({ direction: 'to-learner', ms: 100 }),
    /added latency needs the router's delaying program \(harness\/router\/delay.py: python3 and iptables; this kernel has no sch_netem\), which did not start: .*python3/,
  );
  const noProgram = fakeRouter(false).link;
  await t.rejects(noProgram.delay({ direction: 'to-learner', ms: 100 }), /needs sch_netem .* or the router's delaying program, which the per-host Docker design's router cannot run/);
});

for (const name of await testedDrivers()) {
  const driver = await testDriver(name);
  t.teardown(() => driver.closeAll());

  if (name === 'docker' && process.env.NETPROG_DOCKER_LABS === 'classic') {
    t.test('driver docker, per-host design: added latency is refused, saying why', async (t) => {
      await t.rejects(driver.create({ peers: ['server'], delays: [{ direction: 'to-learner', ms: 100 }] }), /per-host Docker design/);
    });
    continue;
  }

  t.test(`driver ${name}: added latency on a link and on a flow`, async (t) => {
    await using lab = await driver.create({ peers: ['server'], label: 'delay' });
    for (const p of [port, otherPort]) {
      const peer = await lab.startPeer('server', { file: server, args: [JSON.stringify({ port: p, mode: 'echo' })] });
      t.ok(await peer.waitFor('listening', 5000), `the echo peer listens on ${p}`);
    }
    await t.rejects(lab.delay({ direction: 'from-learner', peer: 'nobody', ms: 100 }), /no peer "nobody"/, 'a delay toward a peer the lab lacks is refused');

    const steady = await connect(lab, port);
    const fast = await roundTrips(steady);
    t.ok(steady.connectMs < slack, `no delay: connect took ${steady.connectMs.toFixed(1)} ms`);
    t.ok(fast.median < slack, `no delay: round trips ${fast.all.join(', ')} ms`);

    await lab.delay({ direction: 'from-learner', peer: 'server', ms: 100 });
    const oneWay = await connect(lab, port);
    const rttOne = await roundTrips(steady);
    t.ok(within(oneWay.connectMs, 100), `100 ms toward the peer: connect took ${oneWay.connectMs.toFixed(1)} ms`);
    t.ok(rttOne.min >= 100 && rttOne.median < 100 + slack, `100 ms toward the peer: round trips ${rttOne.all.join(', ')} ms`);

    await lab.delay({ direction: 'to-learner', ms: 100 });
    const bothWays = await connect(lab, port);
    const rttBoth = await roundTrips(steady);
    t.ok(within(bothWays.connectMs, 200), `100 ms each way: connect took ${bothWays.connectMs.toFixed(1)} ms`);
    t.ok(rttBoth.min >= 200 && rttBoth.median < 200 + slack, `100 ms each way: round trips ${rttBoth.all.join(', ')} ms`);

    await lab.settleWire();
    const syn = lab.wire().find((e) => e.proto === 'tcp' && e.sport === oneWay.localPort && e.dport === port && e.flags.includes('syn') && !e.flags.includes('ack'));
    t.ok(syn, 'the delayed connection\'s SYN is in wire()');
    t.equal(syn?.verdict, 'accept', 'and it went on');

    await lab.delay({ direction: 'from-learner', peer: 'server', ms: 0 });
    await lab.delay({ direction: 'to-learner', ms: 0 });
    await lab.delay({ direction: 'from-learner', match: { proto: 'tcp', port: otherPort }, ms: 100 });
    const flow = await connect(lab, otherPort);
    const rttFlow = await roundTrips(flow);
    const rttOther = await roundTrips(steady);
    t.ok(within(flow.connectMs, 100), `100 ms on port ${otherPort}'s flows only: connect took ${flow.connectMs.toFixed(1)} ms`);
    t.ok(rttFlow.min >= 100 && rttFlow.median < 100 + slack, `…their round trips ${rttFlow.all.join(', ')} ms`);
    t.ok(rttOther.median < slack, `…while port ${port}'s stay fast: ${rttOther.all.join(', ')} ms`);

    await lab.delay({ direction: 'from-learner', match: { proto: 'tcp', port: otherPort }, ms: 0 });
    const again = await connect(lab, otherPort);
    const rttAgain = await roundTrips(again);
    t.ok(again.connectMs < slack && rttAgain.median < slack, `delays removed: connect ${again.connectMs.toFixed(1)} ms, round trips ${rttAgain.all.join(', ')} ms`);
  });

  t.test(`driver ${name}: a delay in the lab's spec`, async (t) => {
    await using lab = await driver.create({ peers: ['server'], label: 'delay-spec', delays: [{ direction: 'to-learner', ms: 100 }] });
    const peer = await lab.startPeer('server', { file: server, args: [JSON.stringify({ port, mode: 'echo' })] });
    t.ok(await peer.waitFor('listening', 5000), 'the echo peer listens');
    const probe = await connect(lab, port);
    const rtt = await roundTrips(probe);
    t.ok(within(probe.connectMs, 100), `100 ms toward the learner from the start: connect took ${probe.connectMs.toFixed(1)} ms`);
    t.ok(rtt.min >= 100 && rtt.median < 100 + slack, `round trips ${rtt.all.join(', ')} ms`);
  });
}
