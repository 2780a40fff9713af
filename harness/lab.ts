/**
 * The lab: what a scenario may ask of a network, whichever driver builds it.
 *
 *   learner ──── router ──── peer "server"
 *                   └─────── peer "client" …
 *
 * The learner host runs the learner's code, sandboxed. The router forwards
 * between the learner and the peers and is where every fault lives, out of the
 * learner's reach. Peers run harness programs that record what they saw.
 * Drivers (netns, docker) implement `LabDriver`; scenarios never know which.
 */
import type { Text } from '../grader/i18n.ts';
import type { Fault, FlowCount, Match, Watch } from './faults.ts';
import type { CpuUse, LabProcess } from './process.ts';
import type { WireEvent } from './wire.ts';

export interface LabSpec {
  /** Names of the peer hosts behind the router, e.g. ['server']. */
  peers: string[];
  /** Faults in force from the start; more can be added and removed later. */
  faults?: Fault[];
  /** Human name of the scenario, for progress lines and leftovers. */
  label?: string;
  /**
   * The peer whose address the learner's resolv.conf names (the scenario runs
   * harness/peers/dns-server.ts there). Without one, lookups go to an address
   * where nobody answers: no lookup leaves the lab (harness/resolver.ts).
   */
  resolver?: string;
  /**
   * Services whose every packet, both ways, is in wire() — data, pure ACKs,
   * keepalive probes, with payload sizes — not only control packets.
   */
  watch?: Watch[];
  /** Rate limits in force from the start (see Lab.shape). */
  shapes?: LinkShape[];
  /** Added latency in force from the start (see Lab.delay). */
  delays?: Delay[];
}

/**
 * A rate limit on the router's sending: toward the learner, or toward one
 * peer (every peer when none is named). A full queue delays packets by up to
 * `queueMs`; added latency is a `Delay`.
 */
export interface LinkShape {
  direction: 'to-learner' | 'from-learner';
  peer?: string;
  /** Kilobits per second; 0 lifts the limit. */
  rateKbit: number;
  /** How long a packet may wait in the queue before it is dropped instead (default 1000 ms). */
  queueMs?: number;
}

/**
 * Added one-way latency on the router's sending: toward the learner (only
 * what `peer` sends, when one is named), or toward a peer (every peer when
 * none is named); with `match`, only the packets of that flow. A delay with
 * the same direction, peer and match replaces an earlier one; `ms` 0 removes
 * it. A packet meets one delay at most: the first set of those that match it.
 * sch_netem does it where the kernel has it and the delay is a whole link's,
 * constant, on a link without rate limit; otherwise a program on the router
 * (harness/router/delay.py: python3 and iptables), whose packets of one flow
 * keep their order even with jitter.
 */
export interface Delay {
  direction: 'to-learner' | 'from-learner';
  peer?: string;
  match?: Omit<Match, 'direction' | 'peer'>;
  /** Milliseconds, 0..60000; 0 removes the delay. */
  ms: number;
  /** Each packet's delay is drawn from ms ± jitterMs (at most ms, and 30000), uniformly. */
  jitterMs?: number;
}

export interface LabAddresses {
  learner: string;
  /** The router's address on the learner's link (the learner's gateway). */
  gateway: string;
  peers: Record<string, string>;
  /** An address on the peers' side where no host answers. */
  nobody: string;
  /**
   * The same hosts' IPv6 (ULA) addresses, one /64 per link. Absent where the
   * lab has no IPv6: the per-host Docker design (its daemon would route IPv6
   * through the host's bridge) and kernels without IPv6.
   */
  learner6?: string;
  gateway6?: string;
  peers6?: Record<string, string>;
  nobody6?: string;
}

/** A program for a lab host: one self-contained JavaScript file (see harness/bundle.ts). */
export interface ProgramSpec {
  file: string;
  args?: string[];
  env?: Record<string, string>;
  /** Flags for node, before the file. `programDirToken` (harness/node-flags.ts) stands for the program's folder as the host sees it. */
  nodeArgs?: string[];
}

/** Limits applied to learner code. */
export interface Limits {
  wallMs: number;
  memoryMb: number;
  pids: number;
  /** CPU share, in CPUs (1.5 = one and a half cores' time per period), as the docker driver's learner containers get. */
  cpus: number;
}

export const defaultLimits: Limits = { wallMs: 30_000, memoryMb: 256, pids: 64, cpus: 1.5 };

export interface Counter {
  packets: number;
  bytes: number;
}

export interface Lab {
  readonly id: string;
  readonly addresses: LabAddresses;
  /** Starts a harness program on a peer host (trusted, privileged as the driver allows). */
  startPeer(host: string, program: ProgramSpec): Promise<LabProcess>;
  /** Starts learner code on the learner host: unprivileged, no capabilities, limited. */
  startLearner(program: ProgramSpec, limits?: Partial<Limits>): Promise<LabProcess>;
  addFault(fault: Fault): Promise<void>;
  removeFault(id: string): Promise<void>;
  /**
   * Removes, now, every mapping the masquerade fault `id` made: the next
   * packets of those flows are dropped or reset (the fault's `expired`), as a
   * NAT that lost its state answers; new flows are mapped afresh.
   */
  expireMappings(id: string): Promise<void>;
  /** Sets (or, with rateKbit 0, lifts) a rate limit on a link. */
  shape(s: LinkShape): Promise<void>;
  /** Sets (or, with ms 0, removes) added latency on a link or a flow. */
  delay(d: Delay): Promise<void>;
  /** Packet counters of every fault, by fault id. */
  counters(): Promise<Record<string, Counter>>;
  /**
   * Per-flow packet and byte counters kept by the router's kernel: one entry
   * per direction of every TCP and UDP flow that reached the router.
   */
  flows(): Promise<FlowCount[]>;
  /**
   * TCP control packets (SYN, FIN, RST) and ICMP seen crossing the router (and
   * the ICMP errors it sends itself: its rejects), IPv4 and IPv6, in order.
   * `t` is when the harness read the router's report: under load that
   * can lag the packet by a little, never lead it.
   */
  wire(): WireEvent[];
  /**
   * How many times the router's trace reported events it lost (its netlink
   * socket overflowed). Non-zero: wire() may miss packets, so no check may
   * read absence from it (grader/grade.ts runs such a trial again).
   */
  wireLost(): number;
  /**
   * CPU time used by the lab's learner programs so far, and how many they
   * are; undefined where the driver cannot account it. Tells a
   * busy machine from one the learner's own code kept busy (grader/grade.ts).
   */
  learnerCpu(): CpuUse | undefined;
  /**
   * Resolves once every packet that crossed the router before the call is in
   * wire(): a probe is sent through the router's trace and waited for.
   */
  settleWire(): Promise<void>;
  /** Removes everything the lab created; safe to call twice. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface DriverStatus {
  usable: boolean;
  /** What is missing and what to run about it, when not usable. */
  problems: Text[];
  notes: Text[];
}

export interface LabDriver {
  readonly name: 'netns' | 'docker';
  /**
   * How many labs are best built at once (undefined: no bound). A daemon that
   * builds containers one after another builds every lab late when all start
   * together; built a few at a time, longest scenario first, the longest wait
   * starts early and the others are built during it (grader/grade.ts).
   */
  readonly setupsAtOnce?: number;
  /** Can this machine run labs with this driver? Cheap; no lab is made. */
  status(): Promise<DriverStatus>;
  /** Removes what dead runs of any grader left behind. */
  reapStale(): Promise<void>;
  create(spec: LabSpec): Promise<Lab>;
  /** Removes everything this process's labs created (used on Ctrl-C). */
  closeAll(): Promise<void>;
}
