/**
 * The fault vocabulary: a small closed set of things a router can do to
 * traffic, each plain data. `faultRules` turns them into nftables rules for
 * the router's forward chain; drivers load those rules where learner code
 * cannot reach them.
 */

/** Which packets a fault applies to. Every field narrows the match. */
export interface Match {
  /**
   * IP version (default both: a peer has an address of each). ICMP means
   * ICMPv6 for IPv6 packets; a reject answers each family in its own ICMP.
   */
  family?: 'ipv4' | 'ipv6' | 'both';
  proto?: 'tcp' | 'udp' | 'icmp';
  /** Destination port (for traffic towards a peer: the peer's service port). */
  port?: number;
  /** Source port (for traffic coming back from a peer's service). */
  sourcePort?: number;
  /** Direction through the router. */
  direction?: 'from-learner' | 'to-learner';
  /** Only traffic between the learner and this peer (a name from the lab's `peers`). */
  peer?: string;
  /** TCP connection openings only (SYN without ACK). */
  synOnly?: boolean;
  /** Only the first N packets this fault matches; later ones pass. */
  firstPackets?: number;
}

export type Fault =
  | { id: string; kind: 'drop'; match: Match }
  | { id: string; kind: 'reject-tcp-reset'; match: Match }
  | {
      id: string;
      kind: 'reject-icmp';
      match: Match;
      icmp: 'host-unreachable' | 'port-unreachable' | 'net-unreachable' | 'admin-prohibited';
    }
  | { id: string; kind: 'loss'; match: Match; percent: number }
  /** Source NAT of learner traffic to the router's peer-side address (IPv6 too; `idleTimeoutS` tracks IPv4 flows only). */
  | {
      id: string;
      kind: 'masquerade';
      /**
       * Lifetime of an idle TCP mapping, in seconds (the conntrack timeout of an
       * established flow): a flow silent for longer loses its mapping, as behind
       * a home router or a cloud NAT gateway. Without it mappings live until the
       * flow ends or `Lab.expireMappings` removes them.
       */
      idleTimeoutS?: number;
      /** What meets the next packets of a flow whose mapping is gone: silence (default, as most NATs) or a reset. */
      expired?: 'drop' | 'reset';
    };

export type FaultKind = Fault['kind'];

/** Router interface names, the same under every driver. */
export const routerIfLearner = 'eth-l';
export const routerIfPeer = (index: number): string => `eth-p${index}`;

const idPattern = /^[a-z][a-z0-9-]{0,40}$/;

export class FaultError extends Error {
  override name = 'FaultError';
}

export function validateFault(fault: Fault): void {
  if (!idPattern.test(fault.id)) throw new FaultError(`fault id ${JSON.stringify(fault.id)} must match ${idPattern}`);
  if (fault.kind === 'masquerade') {
    const s = fault.idleTimeoutS;
    if (s !== undefined && !(Number.isInteger(s) && s >= 1 && s <= 86_400)) throw new FaultError(`fault ${fault.id}: idleTimeoutS must be a whole number of seconds, 1..86400`);
    return;
  }
  const m = fault.match;
  for (const [name, port] of [['port', m.port], ['sourcePort', m.sourcePort]] as const) {
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      throw new FaultError(`fault ${fault.id}: ${name} ${port} is not a TCP/UDP port`);
    }
  }
  if ((m.port !== undefined || m.sourcePort !== undefined || m.synOnly) && m.proto === 'icmp') {
    throw new FaultError(`fault ${fault.id}: ports and synOnly need proto tcp or udp`);
  }
  if (m.family !== undefined && !['ipv4', 'ipv6', 'both'].includes(m.family)) throw new FaultError(`fault ${fault.id}: family ${JSON.stringify(m.family)} is none of ipv4, ipv6, both`);
  if (m.synOnly && m.proto === 'udp') throw new FaultError(`fault ${fault.id}: synOnly needs proto tcp`);
  if (m.firstPackets !== undefined && (!Number.isInteger(m.firstPackets) || m.firstPackets < 1)) {
    throw new FaultError(`fault ${fault.id}: firstPackets must be a positive integer`);
  }
  if (fault.kind === 'loss' && !(fault.percent > 0 && fault.percent <= 100 && Number.isInteger(fault.percent))) {
    throw new FaultError(`fault ${fault.id}: loss percent must be an integer in 1..100`);
  }
  if (fault.kind === 'reject-tcp-reset' && m.proto !== 'tcp') {
    throw new FaultError(`fault ${fault.id}: reject-tcp-reset needs proto tcp`);
  }
}

/**
 * The match part of a rule, as nftables expression text. `peers` are the
 * lab's peer names in order: peer i is behind the router's eth-p<i>.
 */
export function matchExpr(m: Match, peers: readonly string[] = []): string {
  const parts: string[] = [];
  if (m.direction === 'from-learner') parts.push(`iifname "${routerIfLearner}"`);
  if (m.direction === 'to-learner') parts.push(`oifname "${routerIfLearner}"`);
  if (m.peer !== undefined) {
    const i = peers.indexOf(m.peer);
    if (i < 0) throw new FaultError(`fault matches peer ${JSON.stringify(m.peer)}, which the lab does not have (peers: ${peers.join(', ') || 'none'})`);
    const pIf = `"${routerIfPeer(i)}"`;
    if (m.direction === 'from-learner') parts.push(`oifname ${pIf}`);
    else if (m.direction === 'to-learner') parts.push(`iifname ${pIf}`);
    // Either way between the learner and this peer (the router never sends a packet back out where it came in).
    else parts.push(`iifname { "${routerIfLearner}", ${pIf} } oifname { "${routerIfLearner}", ${pIf} }`);
  }
  if (m.family === 'ipv4' || m.family === 'ipv6') parts.push(`meta nfproto ${m.family}`);
  const proto = m.proto ?? (m.port !== undefined || m.sourcePort !== undefined || m.synOnly ? 'tcp' : undefined);
  if (proto === 'icmp') parts.push(`meta l4proto ${icmpProtos[m.family ?? 'both']}`);
  else if (proto) {
    parts.push(`meta l4proto ${proto}`);
    if (m.port !== undefined) parts.push(`${proto} dport ${m.port}`);
    if (m.sourcePort !== undefined) parts.push(`${proto} sport ${m.sourcePort}`);
    if (m.synOnly) parts.push('tcp flags & (syn | ack) == syn');
  }
  // numgen inc counts the packets that reach this expression, so it must come
  // after every other match: only matching packets use up the budget.
  if (m.firstPackets !== undefined) parts.push(`numgen inc mod 1000000000 < ${m.firstPackets}`);
  return parts.join(' ');
}

const icmpProtos = { ipv4: 'icmp', ipv6: 'ipv6-icmp', both: '{ icmp, ipv6-icmp }' } as const;

/**
 * A reject's ICMP type by family: for both, nftables' icmpx, which the kernel
 * answers as ICMP or ICMPv6 by the packet's family (its no-route is ICMP's
 * net-unreachable); ICMPv6 names host-unreachable address-unreachable.
 */
function icmpReject(icmp: Extract<Fault, { kind: 'reject-icmp' }>['icmp'], family: Match['family'] = 'both'): string {
  if (family === 'ipv4') return `icmp type ${icmp}`;
  if (family === 'ipv6') return `icmpv6 type ${icmp === 'host-unreachable' ? 'addr-unreachable' : icmp === 'net-unreachable' ? 'no-route' : icmp}`;
  return `icmpx type ${icmp === 'net-unreachable' ? 'no-route' : icmp}`;
}

function verdict(fault: Exclude<Fault, { kind: 'masquerade' }>): string {
  switch (fault.kind) {
    case 'drop':
      return 'drop';
    case 'loss':
      return 'drop';
    case 'reject-tcp-reset':
      return 'reject with tcp reset';
    case 'reject-icmp':
      return `reject with ${icmpReject(fault.icmp, fault.match.family)}`;
  }
}

/** One forward-chain rule for a filtering fault; null for NAT faults. `peers`: the lab's, in order. */
export function faultRule(fault: Fault, peers: readonly string[] = []): string | null {
  validateFault(fault);
  if (fault.kind === 'masquerade') return null;
  const loss = fault.kind === 'loss' && fault.percent < 100 ? ` numgen random mod 100 < ${fault.percent}` : '';
  const match = matchExpr(fault.match, peers);
  // The comment carries the fault id, so counters and removal find the rule by it.
  return `${match}${loss} counter ${verdict(fault)} comment "fault:${fault.id}"`.trim();
}

export function natRule(fault: Fault): string | null {
  if (fault.kind !== 'masquerade') return null;
  return `iifname "${routerIfLearner}" counter masquerade comment "fault:${fault.id}"`;
}

/** The verdicts for packets of a flow whose mapping is gone (a reset answers TCP only). */
function expiredVerdicts(fault: Extract<Fault, { kind: 'masquerade' }>, match: string): string[] {
  const tag = `comment "fault:${fault.id}/expired"`;
  const drop = `${match} counter drop ${tag}`;
  return fault.expired === 'reset' ? [`meta l4proto tcp ${match} counter reject with tcp reset ${tag}`, drop] : [drop];
}

/**
 * The nft commands that put a fault in force on a running router (and, after
 * the table's skeleton, in a new one): its rule; for a NAT with a mapping
 * lifetime, a set of the live mappings whose elements time out in the kernel
 * when a flow is quiet for that long (every packet, either way, refreshes its
 * own), and the rules that stop the packets of a flow no longer in it.
 */
export function faultCommands(fault: Fault, table = 'lab', peers: readonly string[] = []): string {
  const rule = faultRule(fault, peers);
  if (rule !== null) return `add rule inet ${table} faults ${rule}\n`;
  if (fault.kind !== 'masquerade') return '';
  const lines = [`add rule inet ${table} nat ${natRule(fault)!}`];
  if (fault.idleTimeoutS !== undefined) {
    const set = `@${natLive(fault.id)}`;
    const out = 'ip saddr . tcp sport . ip daddr . tcp dport';
    const back = 'ip daddr . tcp dport . ip saddr . tcp sport';
    const from = `iifname "${routerIfLearner}" meta l4proto tcp`;
    const to = `oifname "${routerIfLearner}" meta l4proto tcp ct status snat`;
    lines.push(
      `add set inet ${table} ${natLive(fault.id)} { type ipv4_addr . inet_service . ipv4_addr . inet_service; flags dynamic, timeout; timeout ${fault.idleTimeoutS}s; size 65536; }`,
      // A connection opening makes its mapping; a packet of a flow whose mapping timed out is stopped…
      ...expiredVerdicts(fault, `${from} ct state established ${out} != ${set}`).map((r) => `add rule inet ${table} faults ${r}`),
      `add rule inet ${table} faults ${to} ${back} != ${set} counter drop comment "fault:${fault.id}/expired"`,
      // …and every other packet, either way, keeps its mapping alive.
      `add rule inet ${table} faults ${from} update ${set} { ${out} } comment "fault:${fault.id}/lifetime"`,
      `add rule inet ${table} faults ${to} update ${set} { ${back} } comment "fault:${fault.id}/lifetime"`,
    );
  }
  return lines.join('\n') + '\n';
}

/** The set of a NAT fault's live mappings (fault ids are [a-z0-9-]: the name stays unique). */
export const natLive = (id: string): string => `natlive_${id.replace(/-/g, '_')}`;

/**
 * Removes every mapping a masquerade fault made so far, now: packets of those
 * flows meet the fault's `expired` verdict from here on, new flows are mapped
 * afresh. `epoch` counts the removals of this lab (1, 2, …): flows are marked
 * with the epoch they began in (chain natmark) and flows of an older one stopped.
 */
export function expireCommands(fault: Extract<Fault, { kind: 'masquerade' }>, epoch: number, table = 'lab'): string {
  return (
    [
      `add rule inet ${table} natmark ct state new ct mark set ${epoch}`,
      ...expiredVerdicts(fault, `ct status snat ct mark < ${epoch}`).map((r) => `add rule inet ${table} faults ${r}`),
    ].join('\n') + '\n'
  );
}

/** Control packets and ICMP are traced, so SYN, FIN and RST times are evidence. */
export const traceRule = 'meta l4proto tcp tcp flags & (syn | fin | rst) != 0 meta nftrace set 1';
export const traceIcmpRule = 'meta l4proto { icmp, ipv6-icmp } meta nftrace set 1';
/**
 * The ICMP errors the router sends itself (a reject's answer, an unreachable
 * host's) cross no forward hook: chain `answers` traces them where they leave.
 * Errors only: its neighbour discovery is no evidence.
 */
const traceAnswerRules = [
  'icmp type { destination-unreachable, time-exceeded, parameter-problem } meta nftrace set 1',
  'icmpv6 type { destination-unreachable, packet-too-big, time-exceeded, parameter-problem } meta nftrace set 1',
];

/**
 * A service a scenario watches: every packet to and from this port (of this
 * peer) is in the wire trace — data, pure ACKs, keepalive probes — not only
 * control packets.
 */
export interface Watch {
  port: number;
  peer?: string;
  proto?: 'tcp' | 'udp';
}

/** The trace rules of a watch: one per direction; TCP segments also meet chain `segment`, which tells their header length. */
export function watchRules(w: Watch, peers: readonly string[] = []): string[] {
  if (!Number.isInteger(w.port) || w.port < 1 || w.port > 65535) throw new FaultError(`watch: port ${w.port} is not a TCP/UDP port`);
  const proto = w.proto ?? 'tcp';
  return [{ port: w.port }, { sourcePort: w.port }].map(
    (m) => `${matchExpr({ peer: w.peer, proto, ...m }, peers)} meta nftrace set 1${proto === 'tcp' ? ' jump segment' : ''}`,
  );
}

/**
 * `nft monitor trace` prints no TCP header length, so a traced segment meets
 * the rule of its own `tcp doff`, which the trace prints: with the IP length,
 * that gives the payload (harness/wire.ts).
 */
const segmentRules = Array.from({ length: 11 }, (_, i) => `meta l4proto tcp tcp doff ${i + 5} return`);

/** Per-flow packet and byte counters, kept by the kernel for every flow that reaches the router (`parseFlows`); a set per family. */
const flowFamilies = [
  ['', 'ipv4_addr', 'ip'],
  ['6', 'ipv6_addr', 'ip6'],
] as const;
const flowSets = ['tcp', 'udp'].flatMap((p) =>
  flowFamilies.map(([v, type]) => `  set ${p}${v}flows { type ${type} . inet_service . ${type} . inet_service; flags dynamic; counter; size 65536; }`),
);
const flowRules = ['tcp', 'udp'].flatMap((p) =>
  flowFamilies.map(([v, , ip]) => `meta l4proto ${p} update @${p}${v}flows { ${ip} saddr . ${p} sport . ${ip} daddr . ${p} dport }`),
);

/**
 * The router's whole ruleset for a set of faults (and flows to watch). The
 * trace rules stand first, in a chain that runs before the faults', so
 * dropped packets are traced and counted too.
 */
export function routerRuleset(faults: Fault[], table = 'lab', peers: readonly string[] = [], watch: readonly Watch[] = []): string {
  const ids = new Set<string>();
  for (const f of faults) {
    if (ids.has(f.id)) throw new FaultError(`fault id ${f.id} is used twice`);
    ids.add(f.id);
  }
  return [
    `table inet ${table} {`,
    ...flowSets,
    `  chain segment {`,
    ...segmentRules.map((r) => `    ${r}`),
    `  }`,
    `  chain trace { type filter hook forward priority -10; policy accept;`,
    ...flowRules.map((r) => `    ${r}`),
    `    ${traceRule}`,
    `    ${traceIcmpRule}`,
    ...watch.flatMap((w) => watchRules(w, peers)).map((r) => `    ${r}`),
    `  }`,
    `  chain faults { type filter hook forward priority 0; policy accept; }`,
    `  chain answers { type filter hook output priority 0; policy accept;`,
    ...traceAnswerRules.map((r) => `    ${r}`),
    `  }`,
    `  chain nat { type nat hook postrouting priority 100; policy accept; }`,
    // Mappings removed at a point of the timeline: flows are marked with the epoch they began in.
    `  chain natmark { type filter hook prerouting priority 0; policy accept; }`,
    `}`,
    '',
  ].join('\n') + faults.map((f) => faultCommands(f, table, peers)).join('');
}

export interface FlowCount {
  proto: 'tcp' | 'udp';
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** Packets of this direction of the flow that reached the router (also those a fault then stopped), and their IP bytes. */
  packets: number;
  bytes: number;
}

/** Reads `nft -j list set inet <table> tcpflows` (or udpflows) into flows. */
export function parseFlows(json: string): FlowCount[] {
  const doc = JSON.parse(json) as { nftables?: Array<Record<string, unknown>> };
  const out: FlowCount[] = [];
  for (const item of doc.nftables ?? []) {
    const set = item['set'] as { name: string; elem?: Array<{ elem?: { val?: { concat?: [string, number, string, number] }; counter?: { packets: number; bytes: number } } }> } | undefined;
    if (!set) continue;
    const proto = set.name.startsWith('udp') ? 'udp' : 'tcp';
    for (const e of set.elem ?? []) {
      const v = e.elem?.val?.concat;
      const c = e.elem?.counter;
      if (!v || !c) continue;
      out.push({ proto, src: v[0], sport: v[1], dst: v[2], dport: v[3], packets: c.packets, bytes: c.bytes });
    }
  }
  return out;
}

/**
 * Reads `nft -j list table` output into counters by fault id. A fault of
 * several rules counts each part under `id/part` (a NAT's `nat/expired`: the
 * packets of flows that outlived their mapping).
 */
export function parseCounters(json: string): Record<string, { packets: number; bytes: number }> {
  const out: Record<string, { packets: number; bytes: number }> = {};
  const doc = JSON.parse(json) as { nftables?: Array<Record<string, unknown>> };
  for (const item of doc.nftables ?? []) {
    const rule = item['rule'] as { comment?: string; expr?: Array<Record<string, unknown>> } | undefined;
    if (!rule?.comment?.startsWith('fault:')) continue;
    const id = rule.comment.slice('fault:'.length);
    for (const e of rule.expr ?? []) {
      const c = e['counter'] as { packets: number; bytes: number } | undefined;
      if (c) out[id] = { packets: (out[id]?.packets ?? 0) + c.packets, bytes: (out[id]?.bytes ?? 0) + c.bytes };
    }
  }
  return out;
}

/** Every rule of each fault (its parts too), by fault id, from `nft -a -j list table` output. */
export function ruleHandles(json: string): Record<string, Array<{ chain: string; handle: number }>> {
  const out: Record<string, Array<{ chain: string; handle: number }>> = {};
  const doc = JSON.parse(json) as { nftables?: Array<Record<string, unknown>> };
  for (const item of doc.nftables ?? []) {
    const rule = item['rule'] as { comment?: string; chain: string; handle: number } | undefined;
    if (!rule?.comment?.startsWith('fault:')) continue;
    const id = rule.comment.slice('fault:'.length).split('/')[0]!;
    (out[id] ??= []).push({ chain: rule.chain, handle: rule.handle });
  }
  return out;
}

/**
 * Rule texts by handle, from what `nft --echo --handle -f` printed while
 * loading rules: `nft monitor trace` names a rule loaded after it started only
 * as "unknown rule handle N", and the lab reads the fault (its comment) or the
 * segment's header length from the rule's text.
 */
export function rulesFromEcho(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of text.matchAll(/^add rule \S+ \S+ \S+ (?:handle \d+ )?(.*) # handle (\d+)$/gm)) out.set(Number(m[2]), m[1]!);
  return out;
}
