/**
 * Dual stack, under every driver (CI: both): every host has an IPv6 (ULA)
 * address beside its IPv4 one; a fault matches one family or both (a reject
 * answers IPv6 in ICMPv6, or with a reset); the trace shows IPv6 packets and
 * ICMPv6 as it shows IPv4; a name can resolve to both. The per-host Docker
 * design (NETPROG_DOCKER_LABS=classic) has no IPv6 — its daemon would route
 * it through the host's bridge — so there only the IPv4 half runs.
 */
import t, { type Test as Tap } from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundle } from '../harness/bundle.ts';
import type { Lab } from '../harness/lab.ts';
import { synsFrom } from '../harness/wire.ts';
import { repoRoot } from '../grader/paths.ts';
import { runDir } from '../grader/grade.ts';
import { testedDrivers } from './lib/conformance.ts';
import { testDriver } from './lib/grade.ts';

const out = runDir();
const ports = await bundle({ entry: path.join(repoRoot, 'harness/peers/retry-ports.ts'), outDir: out });
const dnsServer = await bundle({ entry: path.join(repoRoot, 'harness/peers/dns-server.ts'), outDir: out });
const connectProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/connect-probe.ts'), outDir: out });
const lookupProbe = await bundle({ entry: path.join(repoRoot, 'test/fixtures/lookup-probe.ts'), outDir: out });

/** 7000 open; 7001 dropped over IPv6; 7002 rejected over IPv6 (ICMPv6); 7003 reset over both. */
const open = 7000;
const drop6 = 7001;
const icmp6 = 7002;
const reset = 7003;

async function connects(t: Tap, lab: Lab, host: string, portList: number[], parallel = false): Promise<Record<number, string>> {
  const p = await lab.startLearner({ file: connectProbe, args: [JSON.stringify({ host, ports: portList, timeoutMs: 1500, parallel })] });
  t.ok(await p.waitFor('done', 20_000), `the connections to ${host} end`);
  return Object.fromEntries(p.eventsOf('result').map((e) => [e.port as number, e.outcome as string]));
}

for (const name of await testedDrivers()) {
  t.test(`driver ${name}`, async (t) => {
    const driver = await testDriver(name);
    t.teardown(() => driver.closeAll());

    t.test('faults by family, the trace of both, a name with both', async (t) => {
      await using lab = await driver.create({
        peers: ['server', 'dns'],
        resolver: 'dns',
        label: 'dualstack',
        faults: [
          { id: 'drop6', kind: 'drop', match: { family: 'ipv6', proto: 'tcp', port: drop6 } },
          { id: 'icmp6', kind: 'reject-icmp', icmp: 'host-unreachable', match: { family: 'ipv6', proto: 'tcp', port: icmp6 } },
          { id: 'reset', kind: 'reject-tcp-reset', match: { proto: 'tcp', port: reset } },
        ],
      });
      const a = lab.addresses;
      // Listening on :: takes both families.
      const server = await lab.startPeer('server', { file: ports, args: [JSON.stringify({ ports: [open, drop6, icmp6, reset], host: a.learner6 ? '::' : '0.0.0.0' })] });
      t.ok(await server.waitFor('listening', 5000), 'the server listens');

      const v4 = await connects(t, lab, a.peers.server!, [open, drop6, icmp6, reset]);
      t.same(v4, { [open]: 'connected', [drop6]: 'connected', [icmp6]: 'connected', [reset]: 'ECONNREFUSED' }, 'IPv4: only the fault of both families stops it');
      if (!a.learner6 || !a.peers6 || !a.gateway6) {
        t.ok(name === 'docker' || !existsSync('/proc/sys/net/ipv6'), 'only the per-host Docker design, or a kernel without IPv6, has none');
        t.comment('this lab has no IPv6: its IPv6 half is skipped');
        return;
      }
      t.match(a.learner6, /^fd[0-9a-f]{2}:/, `ULA addresses (learner ${a.learner6}, server ${a.peers6.server})`);

      const v6 = await connects(t, lab, a.peers6.server!, [open, drop6, icmp6, reset]);
      t.equal(v6[open], 'connected', 'IPv6: the learner connects to the server');
      t.equal(v6[drop6], 'timeout', 'a drop of IPv6 only: silence');
      t.equal(v6[icmp6], 'EHOSTUNREACH', 'an ICMPv6 reject: EHOSTUNREACH at once');
      t.equal(v6[reset], 'ECONNREFUSED', 'a reset of both families: ECONNREFUSED');

      await lab.settleWire();
      const wire = lab.wire();
      const syn = (src: string, port: number) => synsFrom(wire, src, port);
      t.ok(syn(a.learner6, open).some((e) => e.dst === a.peers6!.server && e.verdict === 'accept'), 'the IPv6 SYN crossed the router, in the trace');
      t.ok(syn(a.learner6, drop6).length >= 1 && syn(a.learner6, drop6).every((e) => e.verdict === 'drop' && e.fault === 'drop6'), 'the IPv6 SYNs met the drop');
      t.ok(syn(a.learner, drop6).every((e) => e.verdict === 'accept'), '…and the IPv4 one passed it');
      t.match(syn(a.learner6, icmp6)[0], { verdict: 'drop', fault: 'icmp6' }, 'the reject stopped the IPv6 SYN');
      t.ok(
        wire.some((e) => e.proto === 'icmp' && e.src === a.gateway6 && e.dst === a.learner6),
        "the router's ICMPv6 answer is in the trace",
      );
      t.match(syn(a.learner6, reset)[0], { verdict: 'drop', fault: 'reset' }, 'the reset fault stopped the IPv6 SYN');
      t.match(syn(a.learner, reset)[0], { verdict: 'drop', fault: 'reset' }, '…and the IPv4 one');
      const flows = await lab.flows();
      t.ok(flows.some((f) => f.proto === 'tcp' && f.src === a.learner6 && f.dport === open && f.packets >= 2), 'IPv6 flows are counted');

      const dns = await lab.startPeer('dns', {
        file: dnsServer,
        args: [JSON.stringify({ names: { 'both.lab.test': { a: [a.peers.server!], aaaa: [a.peers6.server!] } } })],
      });
      t.ok(await dns.waitFor('listening', 5000), 'the resolver listens');
      const lookup = await lab.startLearner({ file: lookupProbe, args: [JSON.stringify({ names: ['both.lab.test'] })] });
      t.ok(await lookup.waitFor('done', 20_000), 'the lookup ends');
      const addresses = (lookup.eventsOf('result')[0]?.addresses as string[] | undefined) ?? [];
      t.same([...addresses].sort(), [a.peers.server, a.peers6.server].sort(), 'the name resolves to both addresses');
      for (const address of addresses) t.same(await connects(t, lab, address, [open]), { [open]: 'connected' }, `…and each answers (${address})`);
    });

    t.test('an ICMP reject answers every SYN, beyond the kernel rate limit burst', async (t) => {
      // The kernel sends one destination 6 ICMP errors at once, then 1 a second; the router turns that limit off, so
      // a client's 7th quick attempt meets the same EHOSTUNREACH as its first (measured without: 7 of 20 answered).
      const rejected = Array.from({ length: 20 }, (_, i) => 7100 + i);
      await using lab = await driver.create({
        peers: ['server'],
        label: 'icmp-burst',
        faults: [{ id: 'unreach', kind: 'reject-icmp', icmp: 'host-unreachable', match: { proto: 'tcp' } }],
      });
      const seen = await connects(t, lab, lab.addresses.peers.server!, rejected, true);
      t.same(Object.values(seen), rejected.map(() => 'EHOSTUNREACH'), `20 connections at once, each refused by ICMP (${JSON.stringify(seen)})`);
    });
  });
}
