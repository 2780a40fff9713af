/**
 * The grader's side of the router (harness/router/agent.ts), the same under
 * both drivers: faults added and removed, counters, the wire trace and its
 * settle barrier. A driver hands it a `RouterPort` — the agent itself (netns)
 * or a proxy speaking its line protocol (docker, `StdioRouterPort`).
 */
import { FaultError, routerIfLearner, routerIfPeer, expireCommands, faultCommands, matchExpr, natLive, parseCounters, parseFlows, ruleHandles, rulesFromEcho, validateFault, type Fault, type FlowCount } from '../faults.ts';
import type { Counter, Delay, LinkShape } from '../lab.ts';
import { TraceParser, WireSettler, type WireEvent } from '../wire.ts';
import type { CommandResult } from './agent.ts';

export const routerTable = 'lab';

/** Traces a packet the router sends itself: proof that the trace monitor listens, and the settle probes. */
export const probeChain = `add chain inet ${routerTable} probe { type filter hook output priority 0; }\nadd rule inet ${routerTable} probe udp dport 9 meta nftrace set 1\n`;

export interface RouterPort {
  nft(args: string[], input?: string): Promise<CommandResult>;
  tc(args: string[]): Promise<CommandResult>;
  sendProbe(size: number): unknown;
  /**
   * Starts the router's delaying program (harness/router/delay.py) if it is
   * not running, with the rule that hands it marked packets; absent where the
   * router cannot run it (the per-host Docker design's router container).
   */
  delayer?(): Promise<void>;
}

/**
 * The mark bit of a packet the delaying program holds: chain `delay` sets it
 * with the packet's delay (ms | jitter << 16) and one iptables rule hands such
 * packets to the program's queue. nftables' own `queue` needs CONFIG_NFT_QUEUE,
 * which some kernels (this one) lack while they have iptables' NFQUEUE.
 */
export const delayMark = 0x8000_0000;
export const delayQueue = 0;

export class RouterLink {
  /** Rule texts by nftables handle: `nft monitor trace` names rules loaded after it started only by handle. */
  private readonly rules = new Map<number, string>();
  private lineTime = 0;
  private readonly trace = new TraceParser(
    () => this.lineTime,
    (h) => this.rules.get(h),
  );
  private readonly settler: WireSettler;

  /** The faults in force, by id. */
  private readonly faults = new Map<string, Fault>();
  /** How many times mappings were removed (harness/faults.ts expireCommands). */
  private epoch = 0;
  /** The delays in force, by direction, peer and match (delayKey), in the order they were set. */
  private readonly delays = new Map<string, Delay>();
  /** Links with a rate limit: tbf holds their root, so netem cannot. */
  private readonly rated = new Set<string>();
  /** Links whose root is netem now. */
  private netemLinks = new Set<string>();
  /** Does this kernel have sch_netem? Learned by the first try. */
  private netem: boolean | undefined;
  /** Chain `delay` exists (made with the first delay the program holds). */
  private delayChain = false;

  constructor(
    private readonly port: RouterPort,
    private readonly peers: readonly string[],
    faults: readonly Fault[] = [],
  ) {
    this.settler = new WireSettler((size) => this.port.sendProbe(size));
    for (const f of faults) this.faults.set(f.id, f);
  }

  /** Feed every trace line the router reports, with its stamp on the grader's clock. */
  traceLine(t: number, line: string): void {
    this.lineTime = t;
    this.trace.line(line);
  }

  settled(ipLength: number): void {
    this.settler.seen(ipLength);
  }

  /** What `nft --echo --handle` printed while loading rules. */
  learnHandles(echo: string): void {
    for (const [handle, text] of rulesFromEcho(echo)) this.rules.set(handle, text);
  }

  private async nft(args: string[], input?: string): Promise<string> {
    const r = await this.port.nft(args, input);
    if (r.code !== 0) throw new Error(`nft ${args.join(' ')}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  async addFault(fault: Fault): Promise<void> {
    if (this.faults.has(fault.id)) throw new Error(`fault ${fault.id} is in force already`);
    const commands = faultCommands(fault, routerTable, this.peers);
    this.learnHandles(await this.nft(['-e', '-a', '-f', '-'], commands));
    this.faults.set(fault.id, fault);
  }

  async removeFault(id: string): Promise<void> {
    const rules = ruleHandles(await this.nft(['-a', '-j', 'list', 'table', 'inet', routerTable]))[id];
    if (!rules) throw new Error(`no fault ${id} in this lab`);
    const script = rules.map((h) => `delete rule inet ${routerTable} ${h.chain} handle ${h.handle}\n`).join('');
    await this.nft(['-f', '-'], script);
    const fault = this.faults.get(id);
    this.faults.delete(id);
    if (fault?.kind === 'masquerade' && fault.idleTimeoutS !== undefined) await this.nft(['delete', 'set', 'inet', routerTable, natLive(id)]);
  }

  /** Removes every mapping the masquerade fault `id` made so far (harness/faults.ts expireCommands). */
  async expireMappings(id: string): Promise<void> {
    const fault = this.faults.get(id);
    if (fault?.kind !== 'masquerade') throw new Error(`no masquerade fault ${id} in this lab`);
    this.learnHandles(await this.nft(['-e', '-a', '-f', '-'], expireCommands(fault, ++this.epoch, routerTable)));
  }

  /**
   * Limits the rate of the router's sending on a link with a token bucket
   * (tbf: packets beyond the rate wait in a queue, those beyond the queue are
   * dropped), or lifts the limit (rateKbit 0).
   */
  async shape(s: LinkShape): Promise<void> {
    const ifaces = linkInterfaces(s, this.peers);
    for (const dev of ifaces) {
      if (s.rateKbit === 0) this.rated.delete(dev);
      else this.rated.add(dev);
      const args =
        s.rateKbit === 0
          ? ['qdisc', 'del', 'dev', dev, 'root']
          : ['qdisc', 'replace', 'dev', dev, 'root', 'tbf', 'rate', `${s.rateKbit}kbit`, 'burst', String(shapeBurst(s.rateKbit)), 'latency', `${s.queueMs ?? 1000}ms`];
      const r = await this.port.tc(args);
      if (r.code !== 0 && s.rateKbit !== 0) throw new Error(`tc ${args.join(' ')}: ${r.stderr.trim()}`);
    }
    // A rate limit takes the root netem had, and frees it: the delays find their place again.
    if (this.delays.size > 0) await this.placeDelays();
  }

  /** Sets, replaces or (ms 0) removes a delay (harness/lab.ts Delay). */
  async delay(d: Delay): Promise<void> {
    const key = delayKey(d, this.peers);
    const before = new Map(this.delays);
    this.delays.delete(key);
    if (d.ms > 0) this.delays.set(key, d);
    try {
      await this.placeDelays();
    } catch (err) {
      this.delays.clear();
      for (const [k, v] of before) this.delays.set(k, v);
      throw err;
    }
  }

  /**
   * Puts every delay in force where it can be: all by netem when each is a
   * whole link's, constant, on its own link without rate limit (so a packet
   * meets one at most, as under the program); all by the delaying program
   * otherwise: its chain's first matching rule marks a packet with its delay.
   */
  private async placeDelays(): Promise<void> {
    const all = [...this.delays.values()];
    const byNetem = new Map<string, number>();
    const netemFits = all.every((d) => {
      const devs = d.match || d.jitterMs ? undefined : wholeLinks(d, this.peers);
      if (!devs || devs.some((dev) => this.rated.has(dev) || byNetem.has(dev))) return false;
      for (const dev of devs) byNetem.set(dev, d.ms);
      return true;
    });
    if (all.length > 0 && netemFits && this.netem !== false) {
      for (const [dev, ms] of byNetem) {
        const r = await this.port.tc(['qdisc', 'replace', 'dev', dev, 'root', 'netem', 'delay', `${ms}ms`, 'limit', '4096']);
        if (r.code === 0) {
          this.netem = true;
          continue;
        }
        if (this.netem) throw new Error(`tc qdisc replace dev ${dev} root netem: ${r.stderr.trim()}`);
        this.netem = false;
        return this.placeDelays();
      }
      await this.delayRules([]);
    } else {
      byNetem.clear();
      await this.delayRules(all);
    }
    for (const dev of this.netemLinks) if (!byNetem.has(dev) && !this.rated.has(dev)) await this.port.tc(['qdisc', 'del', 'dev', dev, 'root']);
    this.netemLinks = new Set(byNetem.keys());
  }

  /** Replaces the rules of chain `delay` (after the faults': a packet a fault stops is not held). */
  private async delayRules(delays: Delay[]): Promise<void> {
    if (delays.length === 0 && !this.delayChain) return;
    if (delays.length > 0) {
      if (!this.port.delayer) {
        throw new Error(
          "added latency needs sch_netem (for a whole link's constant delay) or the router's delaying program, which the per-host Docker design's router cannot run (NETPROG_DOCKER_LABS=classic: use the default design)",
        );
      }
      try {
        await this.port.delayer();
      } catch (err) {
        throw new Error(
          `added latency needs the router's delaying program (harness/router/delay.py: python3 and iptables${this.netem === false ? '; this kernel has no sch_netem' : ''}), which did not start: ${(err as Error).message}`,
        );
      }
    }
    const rules = delays.map((d) => {
      const mark = delayMark | ((d.jitterMs ?? 0) << 16) | d.ms;
      return `add rule inet ${routerTable} delay ${matchExpr({ ...d.match, direction: d.direction, peer: d.peer }, this.peers)} meta mark set ${mark >>> 0} comment "delay"\n`;
    });
    await this.nft(['-f', '-'], `add chain inet ${routerTable} delay { type filter hook forward priority 10; policy accept; }\nflush chain inet ${routerTable} delay\n${rules.join('')}`);
    this.delayChain = true;
  }

  async counters(): Promise<Record<string, Counter>> {
    return parseCounters(await this.nft(['-j', 'list', 'table', 'inet', routerTable]));
  }

  async flows(): Promise<FlowCount[]> {
    return parseFlows(await this.nft(['-j', 'list', 'table', 'inet', routerTable]));
  }

  wire(): WireEvent[] {
    return this.trace.events;
  }

  wireLost(): number {
    return this.trace.lost;
  }

  /** Moves whenever wire() or one of its events changes. */
  wireVersion(): number {
    return this.trace.version;
  }

  settle(): Promise<void> {
    return this.settler.settle();
  }
}

/**
 * The router's half of a Lab, the same under every driver: a driver's lab
 * class extends it and says where its router is.
 */
export abstract class RouterLab {
  /** The lab's router, once it runs. */
  protected abstract routerLink(): RouterLink | undefined;

  get #router(): RouterLink {
    const link = this.routerLink();
    if (!link) throw new Error('the lab has no router (yet)');
    return link;
  }

  addFault(fault: Fault): Promise<void> {
    return this.#router.addFault(fault);
  }

  removeFault(id: string): Promise<void> {
    return this.#router.removeFault(id);
  }

  expireMappings(id: string): Promise<void> {
    return this.#router.expireMappings(id);
  }

  shape(s: LinkShape): Promise<void> {
    return this.#router.shape(s);
  }

  delay(d: Delay): Promise<void> {
    return this.#router.delay(d);
  }

  counters(): Promise<Record<string, Counter>> {
    return this.#router.counters();
  }

  flows(): Promise<FlowCount[]> {
    return this.#router.flows();
  }

  wire(): WireEvent[] {
    return this.routerLink()?.wire() ?? [];
  }

  wireLost(): number {
    return this.routerLink()?.wireLost() ?? 0;
  }

  /** Moves whenever wire() or one of its events changes (a lab server sends the changes on). */
  wireVersion(): number {
    return this.routerLink()?.wireVersion() ?? 0;
  }
}

/**
 * The grader's end of the router container's line protocol (`serveStdio` in
 * harness/router/agent.ts). Feed it the container's stdout lines.
 */
export class StdioRouterPort implements RouterPort {
  private readonly replies = new Map<number, (r: CommandResult) => void>();
  private nextId = 1;
  private readyWith!: (t: number) => void;
  /** The router's READY stamp (on its clock). */
  readonly ready = new Promise<number>((r) => (this.readyWith = r));
  /** What loading the ruleset echoed (reply 0). */
  readonly loaded = new Promise<string>((r) => this.replies.set(0, (c) => r(c.stdout)));
  /** The router's own message when it failed. */
  fatal = '';
  link: RouterLink | undefined;

  constructor(
    private readonly write: (line: string) => void,
    /** Gone: the reason. */
    private readonly died: Promise<string>,
    private readonly clockOffset: () => number,
  ) {}

  line(line: string): void {
    const sp = line.indexOf(' ');
    const kind = line.slice(0, sp);
    if (kind === 'T') {
      const sp2 = line.indexOf(' ', sp + 1);
      this.link?.traceLine(Number(line.slice(sp + 1, sp2)) + this.clockOffset(), line.slice(sp2 + 1));
    } else if (kind === 'R') {
      const r = JSON.parse(line.slice(sp + 1)) as CommandResult & { id: number };
      this.replies.get(r.id)?.(r);
      this.replies.delete(r.id);
    } else if (kind === 'S') this.link?.settled(Number(line.slice(sp + 1)));
    else if (kind === 'READY') this.readyWith(Number(line.slice(sp + 1)));
    else if (kind === 'E') this.fatal = line.slice(sp + 1);
  }

  async nft(args: string[], input?: string): Promise<CommandResult> {
    const id = this.nextId++;
    const reply = new Promise<CommandResult>((r) => this.replies.set(id, r));
    this.write(JSON.stringify({ id, args, input: input || undefined }));
    return Promise.race([
      reply,
      this.died.then((why) => {
        throw new Error(`the router is gone: ${why}`);
      }),
    ]);
  }

  async tc(args: string[]): Promise<CommandResult> {
    const id = this.nextId++;
    const reply = new Promise<CommandResult>((r) => this.replies.set(id, r));
    this.write(JSON.stringify({ id, tool: 'tc', args }));
    return Promise.race([
      reply,
      this.died.then((why) => {
        throw new Error(`the router is gone: ${why}`);
      }),
    ]);
  }

  sendProbe(size: number): void {
    this.write(JSON.stringify({ settle: size }));
  }
}

/** The router interfaces that send the traffic a shape limits. */
export function linkInterfaces(s: LinkShape, peers: readonly string[]): string[] {
  if (!Number.isFinite(s.rateKbit) || s.rateKbit < 0) throw new FaultError(`shape: rateKbit ${s.rateKbit} is not a rate`);
  if (s.direction === 'to-learner') return [routerIfLearner];
  if (s.peer === undefined) return peers.map((_, i) => routerIfPeer(i));
  const i = peers.indexOf(s.peer);
  if (i < 0) throw new FaultError(`shape: the lab has no peer ${JSON.stringify(s.peer)} (peers: ${peers.join(', ') || 'none'})`);
  return [routerIfPeer(i)];
}

/** Checks a delay and names what it applies to: delays with the same key replace one another. */
export function delayKey(d: Delay, peers: readonly string[]): string {
  if (d.direction !== 'to-learner' && d.direction !== 'from-learner') throw new FaultError(`delay: direction ${JSON.stringify(d.direction)} is neither to-learner nor from-learner`);
  if (!Number.isInteger(d.ms) || d.ms < 0 || d.ms > 60_000) throw new FaultError(`delay: ms ${d.ms} must be a whole number of milliseconds, 0..60000`);
  const jitter = d.jitterMs ?? 0;
  // 15 bits of the packet's mark carry it (delayMark).
  if (!Number.isInteger(jitter) || jitter < 0 || jitter > Math.min(d.ms, 30_000)) throw new FaultError(`delay: jitterMs ${jitter} must be a whole number of milliseconds, 0..ms (30000 at most)`);
  if (d.peer !== undefined && !peers.includes(d.peer)) throw new FaultError(`delay: the lab has no peer ${JSON.stringify(d.peer)} (peers: ${peers.join(', ') || 'none'})`);
  const match = d.match ?? {};
  if ('direction' in match || 'peer' in match) throw new FaultError('delay: direction and peer belong to the delay, not to its match');
  validateFault({ id: 'delay', kind: 'drop', match });
  const sorted = Object.fromEntries(Object.entries(match).sort(([a], [b]) => a.localeCompare(b)));
  return JSON.stringify([d.direction, d.peer ?? null, sorted]);
}

/** The router interfaces a delay covers whole (netem's place), or undefined when it covers part of one. */
function wholeLinks(d: Delay, peers: readonly string[]): string[] | undefined {
  if (d.direction === 'to-learner') return d.peer === undefined ? [routerIfLearner] : undefined;
  return linkInterfaces({ direction: 'from-learner', peer: d.peer, rateKbit: 0 }, peers);
}

/** A bucket of about 10 ms at the rate, and never less than two full-size packets. */
export function shapeBurst(rateKbit: number): number {
  return Math.max(3200, Math.ceil((rateKbit * 1000) / 8 / 100));
}
