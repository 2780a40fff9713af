import t from 'tap';
import { linkInterfaces, shapeBurst } from '../harness/router/link.ts';
import { expireCommands, faultCommands, faultRule, parseFlows, watchRules, rulesFromEcho, matchExpr, natRule, parseCounters, routerRuleset, ruleHandles, type Fault } from '../harness/faults.ts';

t.test('match expressions', async (t) => {
  const cases: Array<[Parameters<typeof matchExpr>[0], string]> = [
    [{}, ''],
    [{ proto: 'tcp', port: 80 }, 'meta l4proto tcp tcp dport 80'],
    [{ port: 80 }, 'meta l4proto tcp tcp dport 80'],
    [{ proto: 'udp', sourcePort: 53 }, 'meta l4proto udp udp sport 53'],
    [{ proto: 'tcp', synOnly: true }, 'meta l4proto tcp tcp flags & (syn | ack) == syn'],
    [{ direction: 'from-learner', proto: 'icmp' }, 'iifname "eth-l" meta l4proto { icmp, ipv6-icmp }'],
    [{ family: 'ipv4', proto: 'icmp' }, 'meta nfproto ipv4 meta l4proto icmp'],
    [{ family: 'ipv6', proto: 'icmp' }, 'meta nfproto ipv6 meta l4proto ipv6-icmp'],
    [{ family: 'ipv6', port: 80 }, 'meta nfproto ipv6 meta l4proto tcp tcp dport 80'],
    [{ family: 'both', port: 80 }, 'meta l4proto tcp tcp dport 80'],
    [{ direction: 'to-learner' }, 'oifname "eth-l"'],
  ];
  t.plan(cases.length);
  for (const [m, want] of cases) t.equal(matchExpr(m), want, JSON.stringify(m));
});

t.test('a match narrowed to one peer names its router interface', async (t) => {
  const peers = ['server', 'cache'];
  t.equal(matchExpr({ peer: 'cache', direction: 'from-learner' }, peers), 'iifname "eth-l" oifname "eth-p1"');
  t.equal(matchExpr({ peer: 'server', direction: 'to-learner' }, peers), 'oifname "eth-l" iifname "eth-p0"');
  t.equal(matchExpr({ peer: 'cache', port: 80 }, peers), 'iifname { "eth-l", "eth-p1" } oifname { "eth-l", "eth-p1" } meta l4proto tcp tcp dport 80');
  t.throws(() => matchExpr({ peer: 'db' }, peers), /peer "db", which the lab does not have/);
  t.match(routerRuleset([{ id: 'x', kind: 'drop', match: { peer: 'cache' } }], 'lab', peers), /oifname \{ "eth-l", "eth-p1" \} counter drop comment "fault:x"/);
});

t.test('firstPackets counts only packets that match everything else', async (t) => {
  const expr = matchExpr({ proto: 'tcp', port: 81, synOnly: true, firstPackets: 3 });
  t.match(expr, /syn \| ack\) == syn numgen inc mod \d+ < 3$/, 'numgen comes last');
});

t.test('fault rules carry the fault id and the right verdict', async (t) => {
  const rules: Array<[Fault, RegExp]> = [
    [{ id: 'a', kind: 'drop', match: { proto: 'tcp', port: 1 } }, /counter drop comment "fault:a"$/],
    [{ id: 'b', kind: 'reject-tcp-reset', match: { proto: 'tcp', port: 1 } }, /counter reject with tcp reset comment "fault:b"$/],
    [
      { id: 'c', kind: 'reject-icmp', icmp: 'host-unreachable', match: { proto: 'tcp', port: 1 } },
      /reject with icmpx type host-unreachable comment "fault:c"$/,
    ],
    [{ id: 'c4', kind: 'reject-icmp', icmp: 'net-unreachable', match: { family: 'ipv4' } }, /meta nfproto ipv4 counter reject with icmp type net-unreachable comment/],
    [{ id: 'c6', kind: 'reject-icmp', icmp: 'host-unreachable', match: { family: 'ipv6' } }, /reject with icmpv6 type addr-unreachable comment/],
    [{ id: 'cx', kind: 'reject-icmp', icmp: 'net-unreachable', match: {} }, /reject with icmpx type no-route comment/],
    [{ id: 'd', kind: 'loss', percent: 30, match: { proto: 'udp' } }, /numgen random mod 100 < 30 counter drop/],
  ];
  for (const [f, re] of rules) t.match(faultRule(f), re, f.kind);
  t.equal(faultRule({ id: 'n', kind: 'masquerade' }), null);
  t.match(natRule({ id: 'n', kind: 'masquerade' }), /masquerade comment "fault:n"/);
});

t.test('misuse fails early with a specific message', async (t) => {
  t.throws(() => faultRule({ id: 'Bad Id', kind: 'drop', match: {} }), { message: /fault id "Bad Id" must match/ });
  t.throws(() => faultRule({ id: 'p', kind: 'drop', match: { port: 70000 } }), { message: /port 70000 is not a TCP\/UDP port/ });
  t.throws(() => faultRule({ id: 'p', kind: 'drop', match: { proto: 'icmp', port: 5 } }), { message: /need proto tcp or udp/ });
  t.throws(() => faultRule({ id: 'l', kind: 'loss', percent: 0, match: {} }), { message: /loss percent/ });
  t.throws(() => faultRule({ id: 'r', kind: 'reject-tcp-reset', match: {} }), { message: /needs proto tcp/ });
  t.throws(() => faultRule({ id: 'f', kind: 'drop', match: { firstPackets: 0 } }), { message: /firstPackets/ });
  t.throws(
    () =>
      routerRuleset([
        { id: 'x', kind: 'drop', match: {} },
        { id: 'x', kind: 'drop', match: {} },
      ]),
    { name: 'FaultError', message: /fault id x is used twice/ },
  );
});

t.test('ruleset: trace chain before the faults chain, nat chain for masquerade', async (t) => {
  const rs = routerRuleset([
    { id: 'drop-syn', kind: 'drop', match: { proto: 'tcp', port: 7001, synOnly: true } },
    { id: 'nat', kind: 'masquerade' },
  ]);
  t.match(rs, /chain trace \{ type filter hook forward priority -10;/);
  t.match(rs, /chain faults \{ type filter hook forward priority 0;/);
  t.match(rs, /\nadd rule inet lab faults [^\n]*fault:drop-syn/);
  t.match(rs, /\nadd rule inet lab nat [^\n]*masquerade comment "fault:nat"/);
});

t.test('NAT mappings: a lifetime, and what meets a flow that outlived its mapping', async (t) => {
  const idle = faultCommands({ id: 'nat-a', kind: 'masquerade', idleTimeoutS: 3 });
  t.match(idle, /add set inet lab natlive_nat_a \{ type ipv4_addr \. inet_service \. ipv4_addr \. inet_service; flags dynamic, timeout; timeout 3s;/, 'live mappings time out in the kernel');
  t.match(idle, /iifname "eth-l" meta l4proto tcp ct state established ip saddr \. tcp sport \. ip daddr \. tcp dport != @natlive_nat_a counter drop comment "fault:nat-a\/expired"/, 'silence on the way out');
  t.match(idle, /oifname "eth-l" meta l4proto tcp ct status snat ip daddr \. tcp dport \. ip saddr \. tcp sport != @natlive_nat_a counter drop/, 'and on the way back');
  t.ok(idle.indexOf('/expired') < idle.indexOf('update @natlive_nat_a'), 'a packet is judged before it refreshes its mapping');
  t.match(faultCommands({ id: 'nat', kind: 'masquerade', idleTimeoutS: 3, expired: 'reset' }), /reject with tcp reset comment "fault:nat\/expired"/);
  t.notMatch(faultCommands({ id: 'nat', kind: 'masquerade' }), /natlive/, 'no lifetime unless asked');
  const expire = expireCommands({ id: 'nat', kind: 'masquerade', expired: 'reset' }, 2);
  t.match(expire, /add rule inet lab natmark ct state new ct mark set 2\n/);
  t.match(expire, /meta l4proto tcp ct status snat ct mark < 2 counter reject with tcp reset comment "fault:nat\/expired"\n.*ct status snat ct mark < 2 counter drop/);
  t.throws(() => faultCommands({ id: 'nat', kind: 'masquerade', idleTimeoutS: 0.5 }), { message: /idleTimeoutS must be a whole number/ });
});

t.test('counters and handles are read by fault id', async (t) => {
  const json = JSON.stringify({
    nftables: [
      { metainfo: {} },
      { rule: { chain: 'faults', handle: 7, comment: 'fault:drop-syn', expr: [{ match: {} }, { counter: { packets: 3, bytes: 180 } }, { drop: null }] } },
      { rule: { chain: 'trace', handle: 2, expr: [] } },
    ],
  });
  t.same(parseCounters(json), { 'drop-syn': { packets: 3, bytes: 180 } });
  t.same(ruleHandles(json), { 'drop-syn': [{ chain: 'faults', handle: 7 }] });
  const parts = JSON.stringify({
    nftables: [
      { rule: { chain: 'nat', handle: 3, comment: 'fault:nat', expr: [{ counter: { packets: 5, bytes: 300 } }] } },
      { rule: { chain: 'faults', handle: 8, comment: 'fault:nat/expired', expr: [{ counter: { packets: 1, bytes: 52 } }] } },
      { rule: { chain: 'guard', handle: 9, comment: 'fault:nat/expired', expr: [{ counter: { packets: 2, bytes: 104 } }] } },
    ],
  });
  t.same(parseCounters(parts), { nat: { packets: 5, bytes: 300 }, 'nat/expired': { packets: 3, bytes: 156 } }, 'parts counted apart, summed over their rules');
  t.same(ruleHandles(parts).nat?.map((h) => h.handle), [3, 8, 9], 'removing a fault removes every rule of it');
});

t.test('rule texts by handle, from nft --echo --handle', async (t) => {
  const echo = [
    'add table inet lab # handle 1',
    'add rule inet lab faults tcp dport 7001 counter packets 0 bytes 0 drop comment "fault:drop-syn" # handle 2',
    'add rule inet lab segment handle 7 tcp doff 6 return # handle 8',
    'add rule inet lab nat iifname "eth-l" counter packets 0 bytes 0 masquerade comment "fault:nat" # handle 9',
  ].join('\n');
  t.same([...rulesFromEcho(echo)], [
    [2, 'tcp dport 7001 counter packets 0 bytes 0 drop comment "fault:drop-syn"'],
    [8, 'tcp doff 6 return'],
    [9, 'iifname "eth-l" counter packets 0 bytes 0 masquerade comment "fault:nat"'],
  ]);
});

t.test('per-flow counters are read from the router sets', async (t) => {
  const json = JSON.stringify({
    nftables: [
      { metainfo: {} },
      {
        set: {
          name: 'tcpflows',
          elem: [
            { elem: { val: { concat: ['10.77.0.2', 40000, '10.77.1.2', 7000] }, counter: { packets: 13, bytes: 2184 } } },
            { elem: { val: { concat: ['10.77.1.2', 7000, '10.77.0.2', 40000] }, counter: { packets: 8, bytes: 1916 } } },
          ],
        },
      },
      { set: { name: 'udpflows', elem: [{ elem: { val: { concat: ['10.77.0.2', 5353, '10.77.1.2', 53] }, counter: { packets: 1, bytes: 61 } } }] } },
      { set: { name: 'natlive_nat', elem: [] } },
    ],
  });
  t.same(parseFlows(json), [
    { proto: 'tcp', src: '10.77.0.2', sport: 40000, dst: '10.77.1.2', dport: 7000, packets: 13, bytes: 2184 },
    { proto: 'tcp', src: '10.77.1.2', sport: 7000, dst: '10.77.0.2', dport: 40000, packets: 8, bytes: 1916 },
    { proto: 'udp', src: '10.77.0.2', sport: 5353, dst: '10.77.1.2', dport: 53, packets: 1, bytes: 61 },
  ]);
});

t.test('watches trace both directions of a service; rate limits pick the sending interface', async (t) => {
  t.same(watchRules({ port: 7000, peer: 'server' }, ['server']), [
    'iifname { "eth-l", "eth-p0" } oifname { "eth-l", "eth-p0" } meta l4proto tcp tcp dport 7000 meta nftrace set 1 jump segment',
    'iifname { "eth-l", "eth-p0" } oifname { "eth-l", "eth-p0" } meta l4proto tcp tcp sport 7000 meta nftrace set 1 jump segment',
  ]);
  t.match(watchRules({ port: 53, proto: 'udp' })[0], /udp dport 53 meta nftrace set 1$/, 'UDP needs no segment rules');
  t.throws(() => watchRules({ port: 0 }), { message: /not a TCP\/UDP port/ });
  t.same(linkInterfaces({ direction: 'to-learner', rateKbit: 800 }, ['a', 'b']), ['eth-l']);
  t.same(linkInterfaces({ direction: 'from-learner', peer: 'b', rateKbit: 800 }, ['a', 'b']), ['eth-p1']);
  t.same(linkInterfaces({ direction: 'from-learner', rateKbit: 800 }, ['a', 'b']), ['eth-p0', 'eth-p1'], 'every peer when none is named');
  t.throws(() => linkInterfaces({ direction: 'from-learner', peer: 'c', rateKbit: 1 }, ['a']), { message: /no peer "c"/ });
  t.equal(shapeBurst(800), 3200, 'never under two full-size packets');
  t.equal(shapeBurst(100_000), 125_000, 'about 10 ms at a high rate');
});
