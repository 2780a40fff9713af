import t from 'tap';
import { dataSegments, parseFlags, synsFrom, TraceParser, WireSettler } from '../harness/wire.ts';

const syn = (id: string, sport: number) =>
  `trace id ${id} inet lab trace packet: iif "eth-l" oif "eth-p0" ether saddr 2e:31 ether daddr e6:5c ip saddr 10.77.0.2 ip daddr 10.77.1.2 ip dscp cs0 ip ecn not-ect ip ttl 63 ip id 5862 ip protocol tcp ip length 60 tcp sport ${sport} tcp dport 7001 tcp flags == syn tcp window 64240 `;

t.test('flags, by name or by hex', async (t) => {
  t.same(parseFlags('syn'), ['syn']);
  t.same(parseFlags('fin | ack'), ['fin', 'ack']);
  t.same(parseFlags('0x12'), ['syn', 'ack']);
  t.same(parseFlags('0x14'), ['rst', 'ack']);
});

t.test('a trace becomes one event, whatever chains it crosses, with its verdict', async (t) => {
  let now = 100;
  const p = new TraceParser(() => now);
  p.line(syn('aa', 40000));
  p.line('trace id aa inet lab trace rule meta l4proto tcp tcp flags & (syn | fin | rst) != 0 meta nftrace set 1 (verdict continue)');
  p.line('trace id aa inet lab trace policy accept ');
  now = 101;
  p.line(syn('aa', 40000).replace(' trace packet:', ' faults packet:'));
  p.line('trace id aa inet lab faults rule meta l4proto tcp tcp dport 7001 counter packets 0 bytes 0 drop comment "fault:drop-syn" (verdict drop)');
  now = 200;
  p.line(syn('bb', 40002));
  p.line('trace id bb inet lab faults policy accept ');
  t.equal(p.events.length, 2);
  t.match(p.events[0], { t: 100, src: '10.77.0.2', dst: '10.77.1.2', sport: 40000, dport: 7001, flags: ['syn'], verdict: 'drop', fault: 'drop-syn' });
  t.match(p.events[1], { t: 200, sport: 40002, verdict: 'accept' });
  t.equal(synsFrom(p.events, '10.77.0.2', 7001).length, 2);
  t.equal(synsFrom(p.events, '10.77.0.2', 80).length, 0);
  t.equal(synsFrom(p.events, '10.77.1.2').length, 0);
});

t.test('lines that are not traces are ignored', async (t) => {
  const p = new TraceParser(() => 0);
  p.line('');
  p.line('random text');
  p.line('trace id cc inet lab probe packet: oif "eth-l" ip saddr 10.77.0.1 ip daddr 10.77.0.2 ip protocol udp udp sport 1 udp dport 9');
  t.equal(p.events.length, 0);
});

t.test('segments of a watched flow carry their payload size, also where the trace names the rule by handle only', async (t) => {
  const rules = new Map([[12, 'tcp doff 8 return']]);
  const p = new TraceParser(() => 5, (h) => rules.get(h));
  const pkt = (id: string, len: number) =>
    `trace id ${id} inet lab trace packet: iif "eth-l" oif "eth-p0" ip saddr 10.77.0.2 ip daddr 10.77.1.2 ip protocol tcp ip length ${len} tcp sport 40000 tcp dport 7000 tcp flags == 0x18 tcp window 64`;
  p.line(pkt('a1', 152));
  p.line('trace id a1 inet lab trace unknown rule handle 30 (verdict jump segment)');
  p.line('trace id a1 inet lab segment unknown rule handle 12 (verdict return)');
  p.line('trace id a1 inet lab faults policy accept ');
  p.line(pkt('a2', 72));
  p.line('trace id a2 inet lab segment rule tcp doff 5 return # handle 9 (verdict return)');
  p.line(pkt('a3', 52));
  p.line('trace id a4 inet lab trace packet: iif "eth-l" oif "eth-p0" ip saddr 10.77.0.2 ip daddr 10.77.1.2 ip protocol udp ip length 61 udp sport 5353 udp dport 53');
  t.same(
    p.events.map((e) => [e.proto, e.length, e.payload]),
    [
      ['tcp', 152, 100],
      ['tcp', 72, 32],
      ['tcp', 52, undefined],
      ['udp', 61, 33],
    ],
    'payload = IP length - 20 - 4 × doff; UDP: IP length - 28; unknown without the segment rule',
  );
  t.same(dataSegments(p.events).length, 2);
});

t.test('IPv6: TCP, UDP and ICMPv6 as IPv4, lengths of the whole packet', async (t) => {
  const rules = new Map([[12, 'tcp doff 8 return']]);
  const p = new TraceParser(() => 7, (h) => rules.get(h));
  const ip6 = (id: string, src: string, dst: string, rest: string) =>
    `trace id ${id} inet lab trace packet: iif "eth-l" oif "eth-p0" ether saddr 3a:5b ether daddr 06:9e ip6 saddr ${src} ip6 daddr ${dst} ip6 dscp cs0 ip6 ecn not-ect ip6 hoplimit 63 ip6 flowlabel 444380 ${rest}`;
  p.line(ip6('b1', 'fd10:77::2', 'fd10:77:0:1::2', 'ip6 nexthdr tcp ip6 length 40 tcp sport 57346 tcp dport 7001 tcp flags == syn tcp window 64800 '));
  p.line('trace id b1 inet lab faults rule meta nfproto ipv6 tcp dport 7001 counter packets 0 bytes 0 drop comment "fault:drop6" # handle 9 (verdict drop)');
  p.line(ip6('b2', 'fd10:77::2', 'fd10:77:0:1::2', 'ip6 nexthdr tcp ip6 length 132 tcp sport 57348 tcp dport 7000 tcp flags == 0x18 tcp window 64'));
  p.line('trace id b2 inet lab segment unknown rule handle 12 (verdict return)');
  p.line(ip6('b3', 'fd10:77::2', 'fd10:77:0:1::2', 'ip6 nexthdr udp ip6 length 18 udp sport 53138 udp dport 5354 udp length 18 @th,64,80 0x0 '));
  p.line(
    ip6('b4', 'fd10:77:0:1::2', 'fd10:77::2', 'ip6 nexthdr ipv6-icmp ip6 length 66 icmpv6 type destination-unreachable icmpv6 code port-unreachable icmpv6 parameter-problem 0 @th,64,96 0x600d5f23'),
  );
  // The router's own answer to a reject, traced where it leaves (chain answers).
  p.line(
    'trace id b5 inet lab answers packet: oif "eth-l" ip6 saddr fd10:77::1 ip6 daddr fd10:77::2 ip6 dscp cs0 ip6 ecn not-ect ip6 hoplimit 64 ip6 flowlabel 0 ip6 nexthdr ipv6-icmp ip6 length 88 icmpv6 type destination-unreachable icmpv6 code addr-unreachable',
  );
  p.line('trace id b5 inet lab answers policy accept ');
  t.match(p.events[0], { proto: 'tcp', src: 'fd10:77::2', dst: 'fd10:77:0:1::2', sport: 57346, dport: 7001, flags: ['syn'], length: 80, verdict: 'drop', fault: 'drop6' });
  t.same(
    p.events.map((e) => [e.proto, e.length, e.payload]),
    [
      ['tcp', 80, undefined],
      ['tcp', 172, 100],
      ['udp', 58, 10],
      ['icmp', 106, undefined],
      ['icmp', 128, undefined],
    ],
    'length = 40 + ip6 length; payload = length - 40 - 4 × doff; UDP: length - 48',
  );
  t.match(p.events[4], { src: 'fd10:77::1', dst: 'fd10:77::2', verdict: 'accept' });
  t.equal(synsFrom(p.events, 'fd10:77::2', 7001).length, 1);
});

t.test('a reused trace id starts a new event when the packet enters the trace chain', async (t) => {
  const p = new TraceParser(() => 0);
  p.line(syn('dd', 40010));
  p.line('trace id dd inet lab faults policy accept ');
  p.line(syn('dd', 40011));
  t.equal(p.events.length, 2);
  t.same(
    p.events.map((e) => e.sport),
    [40010, 40011],
  );
});

t.test('the settle barrier waits for its own probe, and retries a lost one', async (t) => {
  const sent: number[] = [];
  const settler: WireSettler = new WireSettler((size) => {
    sent.push(size);
    // The first probe is lost; later ones are traced, each with its own length.
    if (sent.length > 1) setTimeout(() => settler.line(`trace id ee inet lab probe packet: oif "eth-l" ip saddr 10.77.0.1 ip daddr 10.77.0.2 ip protocol udp ip length ${28 + size} udp sport 5 udp dport 9`), 5);
  });
  await settler.settle();
  t.equal(sent.length, 2, 'sent again after a lost probe');
  t.equal(sent[0], sent[1], 'the same size until seen');
  await settler.settle();
  t.equal(sent[2], sent[0]! + 1, 'the next settle has a size of its own');
});

t.test('a settle gives up after 5 s when no probe shows, however slow each send is', async (t) => {
  let sends = 0;
  // each send takes 700 ms (a flooded router): 100 tries would take 75 s
  const settler = new WireSettler(() => (sends++, new Promise((r) => setTimeout(r, 700))));
  const start = Date.now();
  await t.rejects(settler.settle(), { name: 'TraceBehindError' });
  const took = Date.now() - start;
  t.ok(took >= 5000 && took < 6500, `gave up after ${took} ms (${sends} sends)`);
});

t.test("the monitor's overflow notice is counted, never an event", async (t) => {
  const p = new TraceParser(() => 0);
  t.equal(p.lost, 0);
  p.line(syn('dd', 40010));
  p.line('# ERROR: We lost some netlink events!');
  p.line(syn('ee', 40011));
  p.line('# ERROR: We lost some netlink events!');
  t.equal(p.lost, 2, 'two overflows');
  t.equal(p.events.length, 2, 'the packets around them are still events');
});
