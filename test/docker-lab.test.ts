/**
 * The docker driver against a real daemon: each fault does what it says on
 * the wire, hosts answer for the lab's whole life like network namespaces,
 * programs get signals and report exits as local processes do, and closing
 * leaves nothing. Skipped where no Docker daemon answers.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundle } from '../harness/bundle.ts';
import type { Lab } from '../harness/lab.ts';
import { ContainerLabsDriver } from '../harness/docker/labs-container.ts';
import { dockerode, label, ownerValue } from '../harness/docker/runtime.ts';
import { makeDriver } from '../grader/drivers.ts';
import { synsFrom } from '../harness/wire.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';

// The docker driver as configured: every lab in one lab container (the default), or containers per
// host (NETPROG_DOCKER_LABS=classic; test/docker-lab-classic.test.ts runs this file so).
const driver = makeDriver('docker');
const oneContainer = driver instanceof ContainerLabsDriver;
const status = await driver.status();
if (!status.usable) {
  t.plan(0, `no usable Docker here: ${status.problems.join('; ')}`);
  process.exit(0);
}

const out = runDir();
const src = mkdtempSync(path.join(os.tmpdir(), 'docker-lab-'));
const agent = JSON.stringify(path.join(repoRoot, 'harness/agent.ts'));
// Connects to each port in turn and reports how each attempt ended.
writeFileSync(
  path.join(src, 'connect.mjs'),
  `import net from 'node:net';
import { config, emit } from ${agent};
const cfg = config();
function attempt(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, cfg.host);
    const timer = setTimeout(() => { s.destroy(); resolve('timeout'); }, cfg.timeoutMs);
    s.once('connect', () => { clearTimeout(timer); s.destroy(); resolve('connected'); });
    s.once('error', (e) => { clearTimeout(timer); resolve(e.code ?? 'error'); });
  });
}
for (const port of cfg.ports) emit('result', { port, outcome: await attempt(port) });
emit('done');
`,
);
// Waits for signals and exits the way it is told; says what it has on stdin.
writeFileSync(
  path.join(src, 'signals.mjs'),
  `import { emit, onCommand } from ${agent};
process.on('SIGTERM', () => { emit('got', { signal: 'SIGTERM' }); process.exit(Number(process.env.EXIT_CODE ?? 0)); });
onCommand((c) => { if (c.cmd === 'echo') emit('echo', { text: c.text }); if (c.cmd === 'exit') process.exit(c.code); });
process.stdout.write('to stdout\\n');
process.stderr.write('to stderr, no newline');
emit('ready', { env: Object.keys(process.env).sort() });
`,
);
const peerFile = await bundle({ entry: path.join(repoRoot, 'harness/peers/tcp-server.ts'), outDir: out });
const connect = await bundle({ entry: path.join(src, 'connect.mjs'), outDir: out });
const signals = await bundle({ entry: path.join(src, 'signals.mjs'), outDir: out });

t.teardown(async () => {
  await driver.closeAll();
  rmSync(src, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

async function probe(lab: Lab, host: string, ports: number[], timeoutMs = 1200): Promise<Record<number, string>> {
  const p = await lab.startLearner({ file: connect, args: [JSON.stringify({ host, ports, timeoutMs })] });
  await p.waitFor('done', 20_000);
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
  const a = lab.addresses;
  t.match(a.learner, /^\d+\.\d+\.\d+\.2$/, 'the learner is .2 of its subnet');
  t.equal(a.gateway, a.learner.replace(/\.2$/, '.1'), 'its gateway, the router, is .1');
  const peer = await lab.startPeer('server', { file: peerFile, args: [JSON.stringify({ port: 7000, mode: 'echo' })] });
  t.ok(await peer.waitFor('listening', 10_000), 'peer listens');
  const r = await probe(lab, a.peers.server!, [7001, 7002, 7003, 7004, 7000, 7000, 7000, 7005]);
  t.equal(r[7001], 'timeout', 'drop: nothing answers');
  t.equal(r[7002], 'ECONNREFUSED', 'reject with tcp reset');
  t.equal(r[7003], 'EHOSTUNREACH', 'ICMP host-unreachable');
  t.equal(r[7004], 'ECONNREFUSED', 'ICMP port-unreachable');
  t.equal(r[7000], 'connected', 'after its first two SYNs, firstPackets lets the third through');
  t.equal(r[7005], 'ECONNREFUSED', 'a port nobody listens on is refused by the peer host itself');
  const c = await lab.counters();
  t.equal(c['reset']!.packets, 1);
  t.equal(c['first-two']!.packets, 2);
  t.ok(c['drop-syn']!.packets >= 1);
  const syns = synsFrom(lab.wire(), a.learner, 7001);
  t.ok(syns.length >= 1 && syns.every((s) => s.verdict === 'drop' && s.fault === 'drop-syn'), 'dropped SYNs are traced with their fault');
  t.equal(synsFrom(lab.wire(), a.learner, 7000).length, 3, 'three SYNs to 7000');
  t.equal(peer.eventsOf('accept').length, 1, 'the peer saw one connection');
});

t.test('faults can be added and removed while the lab runs; NAT hides the learner', async (t) => {
  await using lab = await driver.create({ peers: ['server'] });
  const server = lab.addresses.peers.server!;
  const peer = await lab.startPeer('server', { file: peerFile, args: [JSON.stringify({ port: 7000, mode: 'echo' })] });
  await peer.waitFor('listening', 10_000);
  await lab.addFault({ id: 'blackhole', kind: 'loss', percent: 100, match: { proto: 'tcp', port: 7000 } });
  t.same(await probe(lab, server, [7000], 800), { 7000: 'timeout' }, '100% loss');
  await lab.removeFault('blackhole');
  await lab.addFault({ id: 'nat', kind: 'masquerade' });
  t.same(await probe(lab, server, [7000], 2000), { 7000: 'connected' }, 'removed');
  const accept = peer.eventsOf('accept').at(-1);
  t.equal(accept?.remote, server.replace(/\.2$/, '.1'), 'the peer sees the router, not the learner, behind NAT');
  await t.rejects(lab.removeFault('nope'), { message: /no fault nope/ });
});

t.test('an address where no host answers: the router says host-unreachable', async (t) => {
  await using lab = await driver.create({ peers: ['server'] });
  t.same(await probe(lab, lab.addresses.nobody, [7000], 8000), { 7000: 'EHOSTUNREACH' });
});

t.test('programs: stdin, stdout, stderr, events, signals and exit codes as with local processes', async (t) => {
  await using lab = await driver.create({ peers: ['a', 'b'] });
  const p = await lab.startLearner({ file: signals, env: { EXIT_CODE: '3' } });
  const ready = await p.waitFor('ready', 10_000);
  t.ok(ready, p.stderr);
  t.same(
    ready!.env,
    oneContainer ? ['EXIT_CODE', 'HOME', 'LANG', 'PATH'] : ['EXIT_CODE', 'HOME', 'HOSTNAME', 'LANG', 'PATH'],
    'a clean environment (a container per program adds HOSTNAME)',
  );
  p.send({ cmd: 'echo', text: 'héllo' });
  t.equal((await p.waitFor('echo', 5000))?.text, 'héllo', 'commands arrive on stdin');
  p.signal('SIGTERM');
  const exit = await p.waitExit(10_000);
  t.same([exit?.code, exit?.signal], [3, null], 'a handled SIGTERM, then exit(3)');
  t.ok(p.eventsOf('got').length, 'the program saw the signal');
  t.equal(p.stdout, 'to stdout\n');
  t.equal(p.stderr, 'to stderr, no newline', 'stderr is the program’s own, events taken out');
  t.ok(exit!.t >= p.startedAt && exit!.t <= p.events.at(-1)!.t + 1000, 'the exit time is when it ended');

  const q = await lab.startLearner({ file: signals });
  await q.waitFor('ready', 10_000);
  q.send({ cmd: 'exit', code: 130 });
  const e130 = await q.waitExit(10_000);
  t.same([e130?.code, e130?.signal], [130, null], 'exit(130) is a code, not a SIGINT');

  // Two programs at once on one host share its address.
  const peerA = await lab.startPeer('a', { file: peerFile, args: [JSON.stringify({ port: 7000, mode: 'echo' })] });
  const peerA2 = await lab.startPeer('a', { file: peerFile, args: [JSON.stringify({ port: 7001, mode: 'echo' })] });
  await Promise.all([peerA.waitFor('listening', 10_000), peerA2.waitFor('listening', 10_000)]);
  t.same(await probe(lab, lab.addresses.peers.a!, [7000, 7001]), { 7000: 'connected', 7001: 'connected' });
  t.same(await probe(lab, lab.addresses.peers.b!, [7000]), { 7000: 'ECONNREFUSED' }, 'peer b is another host');

  const stuck = await lab.startLearner({ file: signals }, { wallMs: 800 });
  const killed = await stuck.waitExit(10_000);
  t.ok(killed?.killedByHarness, 'the wall-time limit stops it');
  t.equal(killed?.signal, 'SIGKILL');
});

t.test('the learner host answers when no learner program runs', async (t) => {
  await using lab = await driver.create({ peers: ['client'] });
  const p = await lab.startPeer('client', { file: connect, args: [JSON.stringify({ host: lab.addresses.learner, ports: [8080], timeoutMs: 3000 })] });
  await p.waitFor('done', 10_000);
  t.equal(p.eventsOf('result')[0]?.outcome, 'ECONNREFUSED', 'a reset, as from a namespace with nothing listening');
});

t.test('close removes every container and network of the lab', async (t) => {
  const lab = await driver.create({ peers: ['a', 'b'] });
  const p = await lab.startLearner({ file: connect, args: [JSON.stringify({ host: lab.addresses.peers.a, ports: [1], timeoutMs: 30_000 })] });
  await p.waitFor('result', 100);
  await lab.close();
  await lab.close();
  const d = await dockerode();
  if (oneContainer) {
    // The lab was namespaces in this process's one lab container: closing every lab (as the CLI does on its way out) removes that.
    await driver.closeAll();
    const mine = { label: [`${label.owner}=${ownerValue}`] };
    let left = await d.listContainers({ all: true, filters: mine });
    for (let i = 0; i < 50 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      left = await d.listContainers({ all: true, filters: mine });
    }
    t.same(left, [], 'no container of this process');
    t.same(await d.listNetworks({ filters: mine }), [], 'no network');
    return;
  }
  const filters = { label: [`${label.lab}=${lab.id}`] };
  t.same(await d.listContainers({ all: true, filters }), [], 'no container');
  t.same(await d.listNetworks({ filters }), [], 'no network');
});
