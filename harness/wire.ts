/**
 * Evidence from the router: the control packets that crossed it (and every
 * packet of the flows a scenario watches), read from `nft monitor trace`. A
 * trace is several lines sharing an id: the packet, then the rules it met,
 * then its verdict.
 */

export type TcpFlag = 'syn' | 'ack' | 'fin' | 'rst' | 'psh' | 'urg';

export interface WireEvent {
  /** Monotonic ms (harness/clock.ts) when the router reported the packet. */
  t: number;
  /** ICMP is ICMPv6 for IPv6 packets (addresses in IPv6 form). */
  proto: 'tcp' | 'udp' | 'icmp';
  src: string;
  dst: string;
  sport?: number;
  dport?: number;
  flags: TcpFlag[];
  /** The packet's IP total length (IPv6: its 40-byte header and payload). */
  length: number;
  /**
   * Payload bytes: of a UDP datagram; of a TCP segment on a watched flow
   * (LabSpec.watch: the trace then tells its header length). Undefined elsewhere.
   */
  payload?: number;
  /** Where the packet went: forwarded on, or stopped by a fault (drop/reject). */
  verdict: 'accept' | 'drop' | 'pending';
  /** The fault that stopped it, when one did. */
  fault?: string;
  /** The nftables handle of the rule that stopped it (resolved to `fault` by the lab). */
  ruleHandle?: number;
}

const flagBits: Array<[number, TcpFlag]> = [
  [0x01, 'fin'],
  [0x02, 'syn'],
  [0x04, 'rst'],
  [0x08, 'psh'],
  [0x10, 'ack'],
  [0x20, 'urg'],
];

export function parseFlags(text: string): TcpFlag[] {
  const hex = /^0x([0-9a-f]+)$/i.exec(text);
  if (hex) {
    const bits = parseInt(hex[1]!, 16);
    return flagBits.filter(([b]) => bits & b).map(([, f]) => f);
  }
  return text.split('|').map((s) => s.trim() as TcpFlag).filter((s) => flagBits.some(([, f]) => f === s));
}

/** Assembles trace lines into events; feed it lines in order. */
export class TraceParser {
  private open = new Map<string, WireEvent>();
  readonly events: WireEvent[] = [];
  /** Counts trace lines taken in: when it has not moved, neither `events` nor any event in it has changed. */
  version = 0;
  /**
   * How many times the monitor said the kernel dropped trace events (its
   * netlink socket overflowed: a flood of packets, or a reader that fell
   * behind). After one, absence on the wire proves nothing.
   */
  lost = 0;

  /**
   * `ruleOfHandle` gives a rule's text by its handle: `nft monitor trace`
   * prints rules loaded after it started only as "unknown rule handle N".
   */
  constructor(
    private readonly clock: () => number,
    private readonly ruleOfHandle: (handle: number) => string | undefined = () => undefined,
  ) {}

  line(text: string): void {
    if (/lost some netlink events/i.test(text)) {
      this.lost++;
      return;
    }
    const m = /^trace id (\S+) \S+ \S+ (\S+) (.*)$/.exec(text.trim());
    if (!m) return;
    // Events change after they are listed (a later line of the same packet gives its verdict or payload).
    this.version++;
    const [, id, chain, rest] = m as unknown as [string, string, string, string];
    // The router's own probes (harness/router/link.ts probeChain) are the settle barrier's, not evidence.
    if (chain === 'probe') return;
    if (rest.startsWith('packet:')) {
      // Each base chain the packet enters reports it again under the same id;
      // the trace chain comes first, so a packet there is always a new one
      // (the kernel reuses trace ids: they are hashes of buffer addresses).
      if (chain !== 'trace' && this.open.has(id)) return;
      this.open.delete(id);
      const ev = parsePacket(rest, this.clock());
      if (!ev) return;
      this.open.set(id, ev);
      this.events.push(ev);
      if (this.open.size > 4096) this.open.delete(this.open.keys().next().value!);
      return;
    }
    const ev = this.open.get(id);
    if (!ev) return;
    const handle = /\bhandle (\d+)/.exec(rest)?.[1];
    const rule = (/^unknown rule handle/.test(rest) && handle ? this.ruleOfHandle(Number(handle)) : undefined) ?? rest;
    // harness/faults.ts chain `segment`: the rule of this segment's TCP header length (Linux sends no IP options).
    const doff = chain === 'segment' ? /\btcp doff (\d+) return/.exec(rule)?.[1] : undefined;
    if (doff) ev.payload = Math.max(0, ev.length - ipHeader(ev) - 4 * Number(doff));
    const verdict = /\(verdict (\w+)\)\s*$/.exec(rest)?.[1];
    if (verdict === 'drop') {
      ev.verdict = 'drop';
      if (handle) ev.ruleHandle = Number(handle);
      ev.fault = /comment "fault:([^"]+)"/.exec(rule)?.[1];
      this.open.delete(id);
    } else if (verdict === 'accept' || /^policy accept/.test(rest)) {
      // The trace chain runs first; its policy accept is not the end of the
      // packet's way, the faults chain's is. Keep the latest.
      ev.verdict = 'accept';
    }
  }
}

/** IPv4's header without options, or IPv6's fixed one (the trace prints no extension headers Linux would send here). */
const ipHeader = (ev: WireEvent): number => (ev.src.includes(':') ? 40 : 20);

function parsePacket(rest: string, t: number): WireEvent | null {
  const field = (name: string): string | undefined => new RegExp(`\\b${name} (\\S+)`).exec(rest)?.[1];
  // IPv6's `ip6 length` is its payload's only.
  const v6 = field('ip6 saddr') !== undefined;
  const ip = v6 ? 'ip6' : 'ip';
  const src = field(`${ip} saddr`);
  const dst = field(`${ip} daddr`);
  if (!src || !dst) return null;
  const l4 = field(v6 ? 'ip6 nexthdr' : 'ip protocol');
  const length = Number(field(`${ip} length`) ?? 0) + (v6 ? 40 : 0);
  if (l4 === 'tcp') {
    const flagsText = /tcp flags == (\([^)]*\)|\S+)/.exec(rest)?.[1]?.replace(/[()]/g, '') ?? '';
    return {
      t,
      proto: 'tcp',
      src,
      dst,
      sport: Number(field('tcp sport')),
      dport: Number(field('tcp dport')),
      flags: parseFlags(flagsText),
      length,
      verdict: 'pending',
    };
  }
  if (l4 === 'udp') {
    return { t, proto: 'udp', src, dst, sport: Number(field('udp sport')), dport: Number(field('udp dport')), flags: [], length, payload: Math.max(0, length - (v6 ? 48 : 28)), verdict: 'pending' };
  }
  if (l4 === 'icmp' || l4 === 'ipv6-icmp') return { t, proto: 'icmp', src, dst, flags: [], length, verdict: 'pending' };
  return null;
}

/** Connection openings (SYN without ACK) from one address, optionally to one port. */
export function synsFrom(events: WireEvent[], src: string, dport?: number): WireEvent[] {
  return events.filter(
    (e) =>
      e.proto === 'tcp' &&
      e.src === src &&
      e.flags.includes('syn') &&
      !e.flags.includes('ack') &&
      (dport === undefined || e.dport === dport),
  );
}

/** Segments of a watched TCP flow that carried data (retransmissions too), from `src` when given. */
export function dataSegments(events: WireEvent[], src?: string): WireEvent[] {
  return events.filter((e) => e.proto === 'tcp' && (e.payload ?? 0) > 0 && (src === undefined || e.src === src));
}

/** The router's trace did not show a settle probe in time: it is flooded or the machine is too busy. */
export class TraceBehindError extends Error {
  override name = 'TraceBehindError';
  constructor() {
    super('the router trace did not catch up within 5 s');
  }
}

/**
 * The settle barrier both drivers use: a UDP probe to port 9, sent by the
 * router itself and traced by its probe chain, with a payload size of its own
 * so its trace line is known by its IP length. Once it is seen, every packet
 * the router handled before it has been reported.
 */
export class WireSettler {
  private pending = new Map<number, () => void>();
  private count = 0;

  /** `send(size)` makes the router send one probe with a `size`-byte payload. */
  constructor(private readonly send: (size: number) => unknown) {}

  /** Feed every trace line; probe lines resolve their settle. */
  line(text: string): void {
    if (!/udp dport 9\b/.test(text)) return;
    const len = /ip length (\d+)/.exec(text)?.[1];
    if (len) this.seen(Number(len));
  }

  /** A probe of this IP length was traced (for drivers whose router reports probes apart). */
  seen(ipLength: number): void {
    this.pending.get(ipLength)?.();
  }

  async settle(): Promise<void> {
    const size = 1 + (this.count++ % 1000);
    const ipLength = 20 + 8 + size;
    let seen = false;
    const done = new Promise<void>((r) => this.pending.set(ipLength, () => ((seen = true), r())));
    try {
      // A probe can be lost like any packet: send again until one shows, for
      // 5 s in all however long a send takes (a flooded router is slow to ask).
      const until = Date.now() + 5000;
      while (!seen && Date.now() < until) {
        await this.send(size);
        await Promise.race([done, new Promise((r) => setTimeout(r, 50))]);
      }
      if (!seen) throw new TraceBehindError();
    } finally {
      this.pending.delete(ipLength);
    }
  }
}
