/**
 * The lab's router: one program for both drivers. It configures the router's
 * interfaces, loads the nftables ruleset (faults, trace chains), follows
 * `nft monitor trace`, sends settle probes and runs nft commands for the
 * grader. Everything a scenario asks of the router goes through here and
 * harness/router/link.ts; the drivers only build topology.
 *
 * Self-contained (Node built-ins only) because it runs in two places:
 * - netns: in the grader's own process, every command entering the router's
 *   namespace through a prefix (`nsenter --net=…`);
 * - docker: as the router container's main program (the driver strips the
 *   types with esbuild and runs it with `node -e`), speaking the line
 *   protocol of `serveStdio` over `docker attach`.
 *
 * Times are CLOCK_MONOTONIC ms (process.hrtime), the clock of every process
 * on a kernel, so the router's stamps compare with the grader's and the
 * programs'.
 */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createInterface } from 'node:readline';

export interface RouterIface {
  /** The interface's name in the fault rules. */
  name: string;
  /** Its address, with prefix length (the router is each link's gateway). */
  addr: string;
  /** Its IPv6 address, with prefix length, where the lab has IPv6. */
  addr6?: string;
  /** Rename the interface that holds this address now (Docker names them eth0, eth1… in attach order and addresses them itself). */
  from?: string;
}

export interface RouterConfig {
  ifaces: RouterIface[];
  /** Turn IP forwarding on here (netns; IPv6 too where an interface has an IPv6 address); Docker sets it by the container's sysctls. */
  forward: boolean;
  /** Remove the default route Docker gave the container: the router forwards between lab links only. */
  dropDefaultRoute: boolean;
  /** The nftables ruleset: trace chains, faults, NAT and the probe chain. */
  ruleset: string;
  /** Where settle probes go (UDP port 9 of a lab address; the probe chain traces them). */
  probe: string;
  /**
   * The other hosts' configuration (`ip -batch` lines per named network
   * namespace), run by the router's shell beside its own (netns: one process
   * start from the grader for the whole lab instead of one per host).
   */
  hosts?: Array<{ netns: string; batch: string }>;
  /**
   * `ip -batch` lines run first, outside the router (netns: they make the
   * namespaces the command prefix enters), by the same process start as the
   * router's configuration; the trace monitor starts once they are done.
   */
  topology?: string;
}

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RouterEvents {
  /** One line of `nft monitor trace`, stamped when it arrived. */
  trace(t: number, line: string): void;
  /** A settle probe of this IP length was traced: every packet before it has been reported. */
  settled(ipLength: number): void;
}

const hrtimeMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Runs `argv` with `input` on stdin (none: no stdin) and collects what it
 * says. With `onMark`, the command gets a pipe as fd 3, and its first write
 * there calls `onMark`.
 */
function collect(argv: string[], input?: string, onMark?: () => void): Promise<CommandResult> {
  const [cmd, ...args] = argv;
  return new Promise((resolve) => {
    const child = spawn(cmd!, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', ...(onMark ? (['pipe'] as const) : [])] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (b: Buffer) => (stdout += b));
    child.stderr!.on('data', (b: Buffer) => (stderr += b));
    if (onMark) (child.stdio[3] as NodeJS.ReadableStream).once('data', onMark);
    child.on('error', (e) => (stderr += e.message));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    if (input !== undefined) {
      // The command may be done (and gone) before it reads its input.
      child.stdin!.on('error', () => {});
      child.stdin!.end(input);
    }
  });
}

export class RouterAgent {
  private monitor: ReturnType<typeof spawn> | undefined;
  /** The delaying program (harness/router/delay.py) while it runs, and its start. */
  private delayer: ReturnType<typeof spawn> | undefined;
  private delaying: Promise<void> | undefined;
  /** A shell in the router that sends a probe per line it reads: a probe then costs a write, not a process start. */
  private prober: ReturnType<typeof spawn> | undefined;
  private ready = false;
  private closed = false;
  private onReady: (() => void) | undefined;
  private dieWith!: (why: string) => void;
  /** Resolves with the reason when the router can no longer report (its trace monitor ended). */
  readonly died = new Promise<string>((r) => (this.dieWith = r));

  constructor(
    private readonly cfg: RouterConfig,
    /** A command prefix that enters the router's network namespace; empty when this process runs inside it. */
    private readonly prefix: string[],
    private readonly events: RouterEvents,
    private readonly clock: () => number = hrtimeMs,
  ) {}

  /** Runs a command in the router. */
  run(argv: string[], input?: string): Promise<CommandResult> {
    return collect([...this.prefix, ...argv], input);
  }

  private async mustRun(argv: string[], input?: string): Promise<string> {
    const r = await this.run(argv, input);
    if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  }

  nft(args: string[], input?: string): Promise<CommandResult> {
    return this.run(['nft', ...args], input);
  }

  /** Traffic control (rate limits: harness/router/link.ts shape). */
  tc(args: string[]): Promise<CommandResult> {
    return this.run(['tc', ...args]);
  }

  /**
   * Configures the router and resolves once its trace is known to listen
   * (a probe was traced), with what loading the ruleset echoed (rules with
   * their handles: the lab names faults in the trace by them).
   */
  async start(): Promise<{ loaded: string; readyAt: number }> {
    // Subscribe first, so the monitor listens by the time the rules are in (with a topology to make, once it is made).
    if (this.cfg.topology === undefined) this.startMonitor();
    // Then one shell in the router (a process start costs more than most of what it runs): the hosts' addresses and
    // the router's links in the background, forwarding, the ruleset (its rules name interfaces by name: the links
    // need not be up yet), then the first probe once all is done.
    const hosts = this.cfg.hosts ?? [];
    const links = [`ip -batch - >&2 <<'LINKS'\n${await this.linkCommands()}LINKS`, this.cfg.dropDefaultRoute ? 'ip route del default 2>/dev/null || true' : '']
      .filter(Boolean)
      .join('\n');
    const jobs = [`{\n${links}\n} &\nj0=$!`, ...hosts.map((h, i) => `ip -n ${h.netns} -batch - >&2 <<'HOST${i}' &\n${h.batch}HOST${i}\nj${i + 1}=$!`)];
    const script = [
      'set -e',
      ...jobs,
      this.cfg.forward ? 'echo 1 > /proc/sys/net/ipv4/ip_forward' : '',
      this.cfg.forward && this.cfg.ifaces.some((i) => i.addr6) ? 'echo 1 > /proc/sys/net/ipv6/conf/all/forwarding' : '',
      // A rejecting fault answers every SYN: the kernel's ICMP rate limit (a burst of 6 per destination, then 1 a second)
      // would turn a quick 7th reject into a silent drop. Where /proc/sys is read-only, the container's sysctls do it.
      this.cfg.forward ? '{ echo 0 > /proc/sys/net/ipv4/icmp_ratelimit; echo 0 > /proc/sys/net/ipv6/icmp/ratelimit; } 2>/dev/null || true' : '',
      'nft -e -a -f -',
      ...jobs.map((_, i) => `wait $j${i}`),
      // The first probe, from this shell (the monitor has had the whole script's time to subscribe).
      `{ printf x > /dev/udp/${this.cfg.probe}/9; } 2>/dev/null || true`,
    ].filter(Boolean);
    const loaded = await this.configure(script.join('\n'));
    // Subscribing takes a moment and a packet sent before it would be missed:
    // probe until one is seen. (The probe chain stays: it traces only these.)
    const seen = new Promise<void>((r) => (this.onReady = r));
    if (!this.ready) await Promise.race([seen, new Promise((r) => setTimeout(r, 3))]);
    for (let i = 0; i < 400 && !this.ready; i++) {
      if (this.closed) throw new Error('the lab was closed');
      await this.sendProbe(1);
      await Promise.race([seen, new Promise((r) => setTimeout(r, 4))]);
    }
    if (!this.ready) throw new Error('the router trace monitor did not start (is this kernel built with nftables tracing?)');
    return { loaded, readyAt: this.clock() };
  }

  /**
   * Runs the router's configuration script (stdin: the ruleset), after the
   * topology where there is one: one process start from here for both. The
   * topology's end is said on fd 3, and the monitor starts then.
   */
  private async configure(script: string): Promise<string> {
    if (this.cfg.topology === undefined) return this.mustRun(['bash', '-c', script], this.cfg.ruleset);
    const outer = `set -e\nip -batch - >&2 <<'TOPOLOGY'\n${this.cfg.topology}TOPOLOGY\necho >&3\nexec 3>&-\nexec "$@"`;
    const r = await collect(['bash', '-c', outer, 'topology', ...this.prefix, 'bash', '-c', script], this.cfg.ruleset, () => {
      if (!this.closed) this.startMonitor();
    });
    if (r.code !== 0) throw new Error(`router setup: ${(r.stderr || r.stdout).trim()}`);
    return r.stdout;
  }

  /** `ip -batch` lines that address the router's interfaces (and name them, under Docker). */
  private async linkCommands(): Promise<string> {
    const lines = ['link set lo up'];
    const renames = this.cfg.ifaces.filter((i) => i.from);
    const found = renames.length > 0 ? (JSON.parse(await this.mustRun(['ip', '-j', '-4', 'addr', 'show'])) as Array<{ ifname: string; addr_info?: Array<{ local: string }> }>) : [];
    for (const i of this.cfg.ifaces) {
      if (i.from) {
        const link = found.find((l) => (l.addr_info ?? []).some((a) => a.local === i.from));
        if (!link) throw new Error(`no interface has ${i.from}`);
        lines.push(`link set ${link.ifname} down`, `link set ${link.ifname} name ${i.name}`, `addr flush dev ${i.name}`);
      }
      lines.push(`addr add ${i.addr} dev ${i.name}`);
      // As on the lab's hosts (harness/netns/driver.ts), no DAD; a fixed link-local address, which the
      // kernel's neighbour solicitations for packets it forwards need (it has no other source for them).
      if (i.addr6) lines.push(`addr add ${i.addr6} dev ${i.name} nodad`, `addr add fe80::1/64 dev ${i.name} nodad`, `link set ${i.name} addrgenmode none`);
      lines.push(`link set ${i.name} up`);
    }
    return lines.join('\n') + '\n';
  }

  private startMonitor(): void {
    // nft writes each event out as it prints it (no stdbuf needed: the first probe would not be seen otherwise).
    const [cmd, ...args] = [...this.prefix, 'nft', '-a', 'monitor', 'trace'];
    const child = spawn(cmd!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.monitor = child;
    let err = '';
    createInterface({ input: child.stderr! }).on('line', (line) => {
      // An overflow of the trace's netlink socket: the parser counts it (absence on the wire then proves nothing).
      if (/lost some netlink events/i.test(line)) this.events.trace(this.clock(), line);
      else if (err.length < 2000) err += line + '\n';
    });
    child.on('error', (e) => this.dieWith(`nft monitor: ${e.message}`));
    child.on('exit', (code) => this.dieWith(`nft monitor exited (${code})${err.trim() ? `: ${err.trim()}` : ''}`));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const t = this.clock();
      if (/udp dport 9\b/.test(line)) {
        // A probe: the first says the monitor listens, later ones settle the wire.
        if (!this.ready) {
          this.ready = true;
          this.onReady?.();
        } else {
          const len = /ip length (\d+)/.exec(line)?.[1];
          if (len) this.events.settled(Number(len));
        }
        return;
      }
      this.events.trace(t, line);
    });
  }

  /**
   * Starts the delaying program (`script`: harness/router/delay.py as the
   * router sees it) unless it runs, then the iptables rules that hand it the
   * packets chain `delay` marked; resolves once it holds its queue. One that
   * dies later lets packets pass undelayed (`--queue-bypass`) until the next
   * delay starts another. Its stdin is a pipe from here: it exits when this
   * process does.
   */
  startDelayer(script: string, mark: number, queue: number): Promise<void> {
    this.delaying ??= this.launchDelayer(script, mark, queue).catch((err: Error) => {
      this.delaying = undefined;
      throw err;
    });
    return this.delaying;
  }

  private async launchDelayer(script: string, mark: number, queue: number): Promise<void> {
    if (this.closed) throw new Error('the lab was closed');
    const [cmd, ...args] = [...this.prefix, 'python3', script, String(queue)];
    const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.delayer = child;
    child.stdin!.on('error', () => {});
    let err = '';
    child.stderr!.on('data', (b: Buffer) => {
      if (err.length < 2000) err += b;
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.once('data', () => resolve());
      child.on('error', reject);
      child.on('close', (code, signal) => reject(new Error(`it exited (${signal ?? code})${err.trim() ? `: ${err.trim()}` : ''}`)));
    });
    child.on('exit', () => {
      if (this.delayer === child) this.delaying = undefined;
    });
    const rule = `-t mangle -A POSTROUTING -m mark --mark ${mark}/${mark} -j NFQUEUE --queue-num ${queue} --queue-bypass`;
    const check = rule.replace('-A', '-C');
    // IPv6 where the router has it; IPv4 always.
    const rules = `iptables -w ${check} 2>/dev/null || iptables -w ${rule}\n(ip6tables -w ${check} || ip6tables -w ${rule}) 2>/dev/null || true`;
    await this.mustRun(['sh', '-c', rules]).catch((e: unknown) => {
      child.kill('SIGKILL');
      throw e;
    });
  }

  private startProber(): void {
    if (this.prefix.length === 0) return;
    // A failed send (the router's links not up yet) is said on stderr, ignored, and the next line read.
    const loop = `while read -r n; do printf "%\${n}s" > /dev/udp/${this.cfg.probe}/9; done`;
    const [cmd, ...args] = [...this.prefix, 'bash', '-c', loop];
    const child = spawn(cmd!, args, { stdio: ['pipe', 'ignore', 'ignore'] });
    child.stdin!.on('error', () => {});
    child.on('error', () => {});
    child.on('exit', () => {
      if (this.prober === child) this.prober = undefined;
    });
    this.prober = child;
  }

  /** Sends one settle probe with a `size`-byte payload from the router itself. */
  async sendProbe(size: number): Promise<void> {
    // The prober starts with the first probe the setup's own did not do: not a process start on every lab's setup path.
    if (!this.prober && !this.closed) this.startProber();
    const prober = this.prober;
    if (prober && prober.exitCode === null && prober.stdin?.writable) {
      prober.stdin.write(`${Math.max(1, Math.floor(size))}\n`);
      return;
    }
    if (this.prefix.length === 0) {
      const s = createSocket('udp4');
      s.on('error', () => {});
      await new Promise<void>((r) => s.send(Buffer.alloc(size, 32), 9, this.cfg.probe, () => (s.close(), r())));
      return;
    }
    await this.run(['bash', '-c', `printf '%${size}s' > /dev/udp/${this.cfg.probe}/9`]);
  }

  close(): void {
    this.closed = true;
    this.monitor?.kill('SIGKILL');
    this.prober?.kill('SIGKILL');
    this.delayer?.kill('SIGKILL');
  }
}

/**
 * The router container's main program (Docker). Line protocol:
 *
 *   stdout  R <json>            the answer to one command; id 0 is the ruleset's load echo
 *           READY <ms>          the trace monitor is known to listen
 *           T <ms> <line>       every trace line, stamped on arrival here
 *           S <ip length>       a settle probe of that size was traced
 *           E <message>         the router failed (the process then exits 1)
 *   stdin   {"settle":N}        send a probe with an N-byte payload
 *           {"id":1,"args":[…],"input":"…"}   run `nft ARGS` and answer R
 *           {"id":2,"tool":"tc","args":[…]}   run `tc ARGS` and answer R
 */
export function serveStdio(cfg: RouterConfig): void {
  const say = (line: string): void => void process.stdout.write(line + '\n');
  const fail = (why: string): never => {
    say(`E ${why.replace(/\n/g, ' | ')}`);
    process.exit(1);
  };
  const agent = new RouterAgent(cfg, [], {
    trace: (t, line) => say(`T ${t} ${line}`),
    settled: (n) => say(`S ${n}`),
  });
  void agent.died.then(fail);
  createInterface({ input: process.stdin }).on('line', (line) => {
    let c: { settle?: number; id?: number; tool?: string; args?: string[]; input?: string };
    try {
      c = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof c.settle === 'number') void agent.sendProbe(c.settle);
    else if (typeof c.id === 'number' && Array.isArray(c.args)) {
      const id = c.id;
      void (c.tool === 'tc' ? agent.tc(c.args) : agent.nft(c.args, c.input)).then((r) => say(`R ${JSON.stringify({ id, ...r })}`));
    }
  });
  // The grader hangs up when it removes the lab; nothing to wait for then.
  process.stdin.on('end', () => process.exit(0));
  agent.start().then(
    ({ loaded, readyAt }) => {
      say(`R ${JSON.stringify({ id: 0, code: 0, stdout: loaded, stderr: '' })}`);
      say(`READY ${readyAt}`);
    },
    (err: Error) => fail(err.message),
  );
}
