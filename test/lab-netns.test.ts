/**
 * The netns driver against real namespaces and nftables: each fault does
 * what it says on the wire, the learner sandbox holds, and nothing is left.
 */
import t from 'tap';
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundle } from '../harness/bundle.ts';
import type { Lab } from '../harness/lab.ts';
import { NetnsDriver } from '../harness/netns/driver.ts';
import { synsFrom } from '../harness/wire.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';

const driver = new NetnsDriver();
const out = runDir();
const peerFile = await bundle({ entry: path.join(repoRoot, 'harness/peers/tcp-server.ts'), outDir: out });
const connectProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/connect-probe.ts'), outDir: out });
const sandboxProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/sandbox-probe.ts'), outDir: out });

t.teardown(async () => {
  await driver.closeAll();
});

async function probe(lab: Lab, ports: number[], timeoutMs = 1200): Promise<Record<number, string>> {
  const p = await lab.startLearner({ file: connectProbe, args: [JSON.stringify({ host: lab.addresses.peers.server, ports, timeoutMs })] });
  await p.waitFor('done', 15_000);
  await p.kill();
  return Object.fromEntries(p.eventsOf('result').map((e) => [e.port as number, e.outcome as string]));
}

t.test('each fault does what it says, and the router counts and traces it', async (t) => {
  await using lab = await driver.create({
    peers: ['server'],
    faults: [
      { id: 'drop-syn', kind: 'drop', match: { proto: 'tcp', port: 7001, synOnly: true } },
      { id: 'reset', kind: 'reject-tcp-reset', match: { proto: 'tcp', port: 7002, synOnly: true } },
      { id: 'host-unreach', kind: 'reject-icmp', icmp: 'host-unreachable', match: { proto: 'tcp', port: 7003 } },
      { id: 'port-unreach', kind: 'reject-icmp', icmp: 'port-unreachable', match: { proto: 'tcp', port: 7004 } },
      { id: 'first-two', kind: 'reject-tcp-reset', match: { proto: 'tcp', port: 7000, synOnly: true, firstPackets: 2 } },
    ],
  });
  const peer = await lab.startPeer('server', { file: peerFile, args: [JSON.stringify({ port: 7000, mode: 'echo' })] });
  t.ok(await peer.waitFor('listening', 5000), 'peer listens');
  const r = await probe(lab, [7001, 7002, 7003, 7004, 7000, 7000, 7000]);
  t.equal(r[7001], 'timeout', 'drop: nothing answers');
  t.equal(r[7002], 'ECONNREFUSED', 'reject with tcp reset');
  t.equal(r[7003], 'EHOSTUNREACH', 'ICMP host-unreachable');
  t.equal(r[7004], 'ECONNREFUSED', 'ICMP port-unreachable');
  t.equal(r[7000], 'connected', 'after its first two SYNs, firstPackets lets the third through');
  await lab.settleWire();
  const c = await lab.counters();
  t.equal(c['reset']!.packets, 1);
  t.equal(c['first-two']!.packets, 2);
  t.ok(c['drop-syn']!.packets >= 1);
  const syns = synsFrom(lab.wire(), lab.addresses.learner, 7001);
  t.ok(syns.length >= 1 && syns.every((s) => s.verdict === 'drop' && s.fault === 'drop-syn'), 'dropped SYNs are traced with their fault');
  t.equal(synsFrom(lab.wire(), lab.addresses.learner, 7000).length, 3, 'three SYNs to 7000');
  t.equal(peer.eventsOf('accept').length, 1, 'the peer saw one connection');
});

t.test('faults can be added and removed while the lab runs; NAT hides the learner', async (t) => {
  await using lab = await driver.create({ peers: ['server'] });
  const peer = await lab.startPeer('server', { file: peerFile, args: [JSON.stringify({ port: 7000, mode: 'echo' })] });
  await peer.waitFor('listening', 5000);
  await lab.addFault({ id: 'blackhole', kind: 'loss', percent: 100, match: { proto: 'tcp', port: 7000 } });
  t.same(await probe(lab, [7000], 800), { 7000: 'timeout' }, '100% loss');
  await lab.removeFault('blackhole');
  await lab.addFault({ id: 'nat', kind: 'masquerade' });
  t.same(await probe(lab, [7000], 2000), { 7000: 'connected' }, 'removed');
  const accept = peer.eventsOf('accept').at(-1);
  t.equal(accept?.remote, '10.77.1.1', 'the peer sees the router, not the learner, behind NAT');
  await t.rejects(lab.removeFault('nope'), { message: /no fault nope/ });
});

t.test('learner code is unprivileged and cannot touch the faults or the grader', async (t) => {
  await using lab = await driver.create({ peers: ['server'], faults: [{ id: 'drop-all', kind: 'drop', match: { proto: 'tcp', port: 7001 } }] });
  const p = await lab.startLearner({ file: sandboxProbe, args: [JSON.stringify({ repo: repoRoot, try: 'basics' })] });
  t.ok(await p.waitFor('done', 10_000), p.stderr);
  const id = p.eventsOf('identity')[0]!;
  t.not(id.uid, 0, 'not root');
  t.equal(id.capEff, '0000000000000000', 'no effective capabilities');
  t.equal(id.capBnd, '0000000000000000', 'empty bounding set');
  t.equal(id.noNewPrivs, '1');
  t.not(p.eventsOf('nft-flush')[0]!.outcome, 'succeeded', 'cannot flush the ruleset');
  t.not(p.eventsOf('route-del')[0]!.outcome, 'succeeded', 'cannot change routes');
  t.equal(p.eventsOf('read-grader')[0]!.outcome, 'ENOENT', 'the grader is not visible');
  t.equal(p.eventsOf('read-solution')[0]!.outcome, 'ENOENT', 'nor the solutions');
  t.same(p.eventsOf('env')[0]!.keys, ['HOME', 'LANG', 'PATH'], "none of the grader's environment");
  t.equal((await lab.counters())['drop-all']!.packets, 0);
  t.ok((await probe(lab, [7001], 500))[7001] === 'timeout', 'the fault still holds');
});

t.test('memory and process limits stop runaway learner code', async (t) => {
  await using lab = await driver.create({ peers: ['server'] });
  const mem = await lab.startLearner({ file: sandboxProbe, args: [JSON.stringify({ repo: repoRoot, try: 'memory' })] }, { memoryMb: 96 });
  const exit = await mem.waitExit(20_000);
  t.ok(exit, 'the process ended');
  t.notOk(mem.eventsOf('done').length, 'it did not get to allocate 4 GB');
  t.ok(exit!.signal === 'SIGKILL' || exit!.code !== 0, `killed (${exit!.signal ?? exit!.code})`);
  const procs = await lab.startLearner({ file: sandboxProbe, args: [JSON.stringify({ repo: repoRoot, try: 'processes' })] }, { pids: 32 });
  const spawned = await procs.waitFor('spawned', 20_000);
  t.ok(spawned, procs.stderr);
  t.ok((spawned!.started as number) < 200 || spawned!.failed, `process limit hit (started ${spawned!.started}, error ${spawned!.failed})`);
});

t.test('wall-time limit', async (t) => {
  await using lab = await driver.create({ peers: ['server'] });
  const p = await lab.startLearner({ file: connectProbe, args: [JSON.stringify({ host: '10.77.1.250', ports: [1], timeoutMs: 60_000 })] }, { wallMs: 500 });
  const exit = await p.waitExit(5000);
  t.ok(exit?.killedByHarness, 'stopped by the harness');
  t.ok(exit!.t - p.startedAt < 2000);
});

t.test('close removes namespaces and cgroups', async (t) => {
  const lab = await driver.create({ peers: ['a', 'b'] });
  const p = await lab.startLearner({ file: connectProbe, args: [JSON.stringify({ host: lab.addresses.peers.a, ports: [1], timeoutMs: 30_000 })] });
  await p.waitFor('result', 100);
  await lab.close();
  await lab.close();
  const mine = `npg${process.pid}-`;
  t.same(readdirSync('/run/netns').filter((n) => n.startsWith(mine)), [], 'no namespace of ours');
  for (const dir of ['/sys/fs/cgroup/memory', '/sys/fs/cgroup/pids', '/sys/fs/cgroup']) {
    if (existsSync(dir)) t.same(readdirSync(dir).filter((n) => n.startsWith(mine)), [], `no cgroup in ${dir}`);
  }
  t.ok(os.platform() === 'linux');
});

t.test('a peer runs in a cgroup of its own, and one that eats memory is stopped there', async (t) => {
  const hog = await bundle({ entry: path.join(repoRoot, 'test/fixtures/peer-hog.ts'), outDir: out });
  await using lab = await driver.create({ peers: ['server'] });
  const peer = await lab.startPeer('server', { file: hog });
  const where = await peer.waitFor('cgroups', 5000);
  t.match(String(where?.text), new RegExp(`${lab.id}-peer\\d`), 'the peer is in its lab cgroup');
  const exit = await peer.waitExit(30_000);
  const most = Math.max(0, ...peer.eventsOf('held').map((e) => e.mb as number));
  t.ok(exit && (exit.code !== 0 || exit.signal), `it was stopped (${JSON.stringify(exit)}) after holding ${most} MB`);
  t.ok(most <= 600, `it never held much more than its 512 MB (${most} MB)`);
});
