/**
 * Learner code that tries to escape: remove the fault (nft flush ruleset),
 * reroute around the router, read the grader and the solutions, leave the
 * lab, and eat the machine's memory and processes. Each attempt must fail,
 * and the fault must still hold afterwards. Runs under every driver this
 * machine can use (docker, and netns where permitted); GRADE_DRIVER narrows.
 */
import t from 'tap';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeDriver, type DriverName } from '../grader/drivers.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';
import { bundle } from '../harness/bundle.ts';
import type { Lab, LabDriver } from '../harness/lab.ts';

const agent = path.join(repoRoot, 'harness/agent.ts');
const escapeSource = `
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import dns from 'node:dns/promises';
import { config, emit, emitSync } from ${JSON.stringify(agent)};

const cfg = config();

function attempt(f) {
  try {
    f();
    return 'succeeded';
  } catch (err) {
    return err.code ?? (err.status !== undefined ? 'exit ' + err.status : 'failed');
  }
}
function sh(cmd, args) {
  return () => execFileSync(cmd, args, { stdio: 'pipe', timeout: 5000 });
}
function connect(host, port, ms) {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    const timer = setTimeout(() => { s.destroy(); resolve('timeout'); }, ms);
    s.once('connect', () => { clearTimeout(timer); s.destroy(); resolve('connected'); });
    s.once('error', (e) => { clearTimeout(timer); resolve(e.code ?? 'error'); });
  });
}

if (cfg.try === 'escape') {
  const status = readFileSync('/proc/self/status', 'utf8');
  emit('identity', {
    uid: process.getuid(),
    capEff: /^CapEff:\\s+(\\S+)/m.exec(status)?.[1],
    capBnd: /^CapBnd:\\s+(\\S+)/m.exec(status)?.[1],
    noNewPrivs: /^NoNewPrivs:\\s+(\\S+)/m.exec(status)?.[1],
  });
  emit('tried', { what: 'nft flush ruleset', outcome: attempt(sh('nft', ['flush', 'ruleset'])) });
  emit('tried', { what: 'nft delete table inet lab', outcome: attempt(sh('nft', ['delete', 'table', 'inet', 'lab'])) });
  emit('tried', { what: 'ip route del default', outcome: attempt(sh('ip', ['route', 'del', 'default'])) });
  emit('tried', { what: 'ip route replace default', outcome: attempt(sh('ip', ['route', 'replace', 'default', 'via', cfg.gateway])) });
  emit('tried', { what: 'ip addr add', outcome: attempt(sh('ip', ['addr', 'add', cfg.spare + '/32', 'dev', 'eth0'])) });
  emit('tried', { what: 'read grader/', outcome: attempt(() => readdirSync(cfg.repo + '/grader')) });
  emit('tried', { what: 'read solutions/', outcome: attempt(() => readFileSync(cfg.repo + '/solutions/connect-timeout/index.ts')) });
  // Whoever can talk to the Docker daemon is root on the machine.
  emit('tried', { what: 'docker socket', outcome: await new Promise((resolve) => {
    const s = net.connect('/var/run/docker.sock');
    s.once('connect', () => { s.destroy(); resolve('connected'); });
    s.once('error', (e) => resolve(e.code ?? 'error'));
  }) });
  emit('tried', { what: 'write outside /tmp', outcome: attempt(() => writeFileSync('/lab-escape-' + process.pid, 'x')) });
  // The fault blocks this port; the router must still drop the SYN.
  emit('blocked', { outcome: await connect(cfg.server, cfg.blockedPort, 1500) });
  // Nothing outside the lab answers: not the internet, not this machine's own addresses.
  const out = {};
  for (const host of cfg.outside) out[host] = await connect(host, 80, 1500);
  emit('outside', { outcomes: out });
  emit('dns', { outcome: await Promise.race([dns.lookup('example.com').then(() => 'resolved', (e) => e.code ?? 'failed'), new Promise((r) => setTimeout(() => r('timeout'), 3000))]) });
  emit('done');
} else if (cfg.try === 'memory') {
  // Off-heap growth: V8's heap limit does not stop Buffers; the memory limit must.
  const hold = [];
  for (let i = 0; i < 4096; i++) {
    hold.push(Buffer.alloc(1024 * 1024, 1));
    if (i % 64 === 0) emit('allocated', { mb: i });
  }
  emit('done');
} else {
  let started = 0;
  let failed = '';
  for (let i = 0; i < 200 && !failed; i++) {
    try {
      const c = spawn('sleep', ['5'], { stdio: 'ignore' });
      c.on('error', (e) => (failed ||= e.code ?? 'error'));
      started++;
    } catch (e) {
      failed = e.code ?? 'error';
    }
  }
  setTimeout(() => { emitSync('spawned', { started, failed }); process.exit(0); }, 500);
}
`;

const src = mkdtempSync(path.join(os.tmpdir(), 'sandbox-escape-'));
writeFileSync(path.join(src, 'escape.mjs'), escapeSource);
const out = runDir();
const program = await bundle({ entry: path.join(src, 'escape.mjs'), outDir: out });
t.teardown(() => {
  rmSync(src, { recursive: true, force: true });
  rmSync(out, { recursive: true, force: true });
});

/** This machine's own addresses, and one far away: none may be reachable from the lab. */
const outside = [
  '1.1.1.1',
  ...Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal && !a.address.startsWith('10.77.') && !a.address.startsWith('10.213.'))
    .map((a) => a!.address)
    .slice(0, 2),
];

const only = process.env.GRADE_DRIVER as DriverName | undefined;
const drivers: DriverName[] = only ? [only] : ['docker', 'netns'];

for (const name of drivers) {
  const driver: LabDriver = makeDriver(name);
  const status = await driver.status();
  if (!status.usable) {
    t.test(`${name}: learner code cannot escape`, { skip: `driver ${name} is not usable here: ${status.problems.join('; ')}` }, async () => {});
    continue;
  }
  t.teardown(() => driver.closeAll());

  t.test(`${name}: learner code cannot remove the fault, leave the lab or read the grader`, async (t) => {
    await driver.reapStale();
    const blockedPort = 7001;
    await using lab: Lab = await driver.create({
      peers: ['server'],
      label: 'sandbox-escape',
      faults: [{ id: 'drop-all', kind: 'drop', match: { proto: 'tcp', port: blockedPort } }],
    });
    const cfg = {
      try: 'escape',
      repo: repoRoot,
      gateway: lab.addresses.gateway,
      spare: lab.addresses.nobody,
      server: lab.addresses.peers.server,
      blockedPort,
      outside,
    };
    const p = await lab.startLearner({ file: program, args: [JSON.stringify(cfg)] }, { wallMs: 30_000 });
    t.ok(await p.waitFor('done', 25_000), `the program ran to its end\n${p.stderr}`);
    const id = p.eventsOf('identity')[0]!;
    t.not(id.uid, 0, 'not root');
    t.equal(id.capEff, '0000000000000000', 'no effective capabilities');
    t.equal(id.capBnd, '0000000000000000', 'an empty bounding set');
    t.equal(id.noNewPrivs, '1', 'no way to gain privileges');
    const tried = Object.fromEntries(p.eventsOf('tried').map((e) => [e.what as string, e.outcome as string]));
    for (const what of ['nft flush ruleset', 'nft delete table inet lab', 'ip route del default', 'ip route replace default', 'ip addr add']) {
      t.not(tried[what], 'succeeded', `${what}: refused (${tried[what]})`);
    }
    t.equal(tried['read grader/'], 'ENOENT', 'the grader is not there');
    t.equal(tried['read solutions/'], 'ENOENT', 'nor the solutions');
    t.not(tried['docker socket'], 'connected', `no way to the Docker daemon (${tried['docker socket']})`);
    t.not(tried['write outside /tmp'], 'succeeded', `cannot write outside /tmp (${tried['write outside /tmp']})`);
    t.equal(p.eventsOf('blocked')[0]?.outcome, 'timeout', 'the fault still drops the SYN');
    const outcomes = p.eventsOf('outside')[0]!.outcomes as Record<string, string>;
    for (const [host, outcome] of Object.entries(outcomes)) t.not(outcome, 'connected', `${host} is out of reach (${outcome})`);
    t.not(p.eventsOf('dns')[0]?.outcome, 'resolved', `no name resolution out of the lab (${p.eventsOf('dns')[0]?.outcome})`);
    const counters = await lab.counters();
    t.ok(counters['drop-all']!.packets >= 1, 'the fault counted the blocked SYNs: the ruleset is intact');
  });

  t.test(`${name}: memory and process limits stop runaway learner code`, async (t) => {
    await using lab: Lab = await driver.create({ peers: ['server'], label: 'sandbox-limits' });
    const mem = await lab.startLearner({ file: program, args: [JSON.stringify({ try: 'memory' })] }, { memoryMb: 96 });
    const exit = await mem.waitExit(30_000);
    t.ok(exit, 'the process ended');
    t.notOk(mem.eventsOf('done').length, 'it did not get to allocate 4 GB');
    t.equal(exit?.signal, 'SIGKILL', `killed (${exit?.signal ?? exit?.code})`);
    // Known gap (reported): under cgroup v1 harness/sandbox.ts reads memory.failcnt,
    // which some kernels leave at 0 after an OOM kill; memory.oom_control's oom_kill counts it.
    t.ok(mem.memoryLimitHit(), 'the driver knows the memory limit did it');
    const procs = await lab.startLearner({ file: program, args: [JSON.stringify({ try: 'processes' })] }, { pids: 32 });
    const spawned = await procs.waitFor('spawned', 20_000);
    t.ok(spawned, procs.stderr);
    t.ok((spawned!.started as number) < 200 || spawned!.failed, `process limit hit (started ${spawned!.started}, error ${spawned!.failed})`);
  });
}
