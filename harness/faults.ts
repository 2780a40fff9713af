/**
 * The fault vocabulary: a small closed set of things a router can do to
 * traffic, each plain data. `faultRules` turns them into nftables rules for
 * the router's forward chain; drivers load those rules where learner code
 * cannot reach them.
 */

/** Which packets a fault applies to. Every field narrows the match. */
export interface Match {
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
  /** Source NAT of learner traffic to the router's peer-side address. */
  | { id: string; kind: 'masquerade' };

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
  if (fault.kind === 'masquerade') return;
  const m = fault.match;
  for (const [name, port] of [['port', m.port], ['sourcePort', m.sourcePort]] as const) {
    if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
      throw new FaultError(`fault ${fault.id}: ${name} ${port} is not a TCP/UDP port`);
    }
  }
  if ((m.port !== undefined || m.sourcePort !== undefined || m.synOnly) && m.proto === 'icmp') {
    throw new FaultError(`fault ${fault.id}: ports and synOnly need proto tcp or udp`);
  }
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
  const proto = m.proto ?? (m.port !== undefined || m.sourcePort !== undefined || m.synOnly ? 'tcp' : undefined);
  if (proto === 'icmp') parts.push('meta l4proto icmp');
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

function verdict(fault: Exclude<Fault, { kind: 'masquerade' }>): string {
  switch (fault.kind) {
    case 'drop':
      return 'drop';
    case 'loss':
      return 'drop';
    case 'reject-tcp-reset':
      return 'reject with tcp reset';
    case 'reject-icmp':
      return `reject with icmp type ${fault.icmp}`;
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

/** Control packets and ICMP are traced, so SYN, FIN and RST times are evidence. */
export const traceRule = 'meta l4proto tcp tcp flags & (syn | fin | rst) != 0 meta nftrace set 1';
export const traceIcmpRule = 'meta l4proto icmp meta nftrace set 1';

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

/** Per-flow packet and byte counters, kept by the kernel for every flow that reaches the router (`parseFlows`). */
const flowSets = ['tcp', 'udp'].map(
  (p) => `  set ${p}flows { type ipv4_addr . inet_service . ipv4_addr . inet_service; flags dynamic; counter; size 65536; }`,
);
const flowRules = ['tcp', 'udp'].map((p) => `meta l4proto ${p} update @${p}flows { ip saddr . ${p} sport . ip daddr . ${p} dport }`);

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
  const filter = faults.map((f) => faultRule(f, peers)).filter((r): r is string => r !== null);
  const nat = faults.map(natRule).filter((r): r is string => r !== null);
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
    `  chain faults { type filter hook forward priority 0; policy accept;`,
    ...filter.map((r) => `    ${r}`),
    `  }`,
    `  chain nat { type nat hook postrouting priority 100; policy accept;`,
    ...nat.map((r) => `    ${r}`),
    `  }`,
    `}`,
    '',
  ].join('\n');
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

/** Reads `nft -j list table` output into counters by fault id. */
export function parseCounters(json: string): Record<string, { packets: number; bytes: number }> {
  const out: Record<string, { packets: number; bytes: number }> = {};
  const doc = JSON.parse(json) as { nftables?: Array<Record<string, unknown>> };
  for (const item of doc.nftables ?? []) {
    const rule = item['rule'] as { comment?: string; expr?: Array<Record<string, unknown>> } | undefined;
    if (!rule?.comment?.startsWith('fault:')) continue;
    const id = rule.comment.slice('fault:'.length);
    for (const e of rule.expr ?? []) {
      const c = e['counter'] as { packets: number; bytes: number } | undefined;
      if (c) out[id] = { packets: c.packets, bytes: c.bytes };
    }
  }
  return out;
}

/** Finds the handle of a fault's rule in `nft -a -j list table` output. */
export function ruleHandles(json: string): Record<string, { chain: string; handle: number }> {
  const out: Record<string, { chain: string; handle: number }> = {};
  const doc = JSON.parse(json) as { nftables?: Array<Record<string, unknown>> };
  for (const item of doc.nftables ?? []) {
    const rule = item['rule'] as { comment?: string; chain: string; handle: number } | undefined;
    if (rule?.comment?.startsWith('fault:')) out[rule.comment.slice('fault:'.length)] = { chain: rule.chain, handle: rule.handle };
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
