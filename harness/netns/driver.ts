/**
 * The netns driver: each lab is a few Linux network namespaces on this
 * machine, joined by veth pairs, with the faults in the router's nftables.
 * Needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) plus iproute2, nftables and
 * util-linux (nsenter, setpriv, unshare, prlimit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, rmSync, readFileSync, readdirSync, readlinkSync, statSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { nowMs } from '../clock.ts';
import { $try, errorText, runWithInput } from '../exec.ts';
import { routerIfLearner, routerIfPeer, routerRuleset, type Fault, type FlowCount } from '../faults.ts';
import {
  defaultLimits,
  type Counter,
  type DriverStatus,
  type Lab,
  type LabAddresses,
  type LabDriver,
  type LabSpec,
  type LinkShape,
  type Limits,
  type ProgramSpec,
} from '../lab.ts';
import { programDirToken } from '../node-flags.ts';
import { writeResolvConf } from '../resolver.ts';
import { cpuUse, LabProcess, type CpuUse } from '../process.ts';
import {
  Cgroup,
  cgroupMode,
  dropPrivileges,
  learnerFstab,
  leaseUid,
  listCgroups,
  privacyReport,
  procHidepid,
  reapCgroup,
  releaseUid,
  staleUidLeases,
  sandboxReport,
  singleUid,
} from '../sandbox.ts';
import { RouterAgent } from '../router/agent.ts';
import { delayMark, delayQueue, probeChain, RouterLab, RouterLink, routerTable } from '../router/link.ts';
import type { WireEvent } from '../wire.ts';
import type { Text } from '../../grader/i18n.ts';
import { words } from '../words.ts';

/** Every namespace and cgroup of a grader process is named `npg<pid>-…`, so the reaper knows its owner. */
export const namePrefix = 'npg';
const owner = `${namePrefix}${process.pid}-`;
const netnsDir = '/run/netns';

/** A kernel booted without IPv6 (ipv6.disable=1) has no /proc/sys/net/ipv6: its labs are IPv4 only. */
const hasIpv6 = existsSync('/proc/sys/net/ipv6');

/** Link n (0: the learner's, i + 1: peer i's) is 10.77.n.0/24 and fd10:77:0:n::/64; the router is .1 on each. */
export function labAddresses(peers: string[]): LabAddresses {
  const v4 = {
    learner: '10.77.0.2',
    gateway: '10.77.0.1',
    peers: Object.fromEntries(peers.map((p, i) => [p, `10.77.${i + 1}.2`])),
    nobody: '10.77.1.250',
  };
  if (!hasIpv6) return v4;
  return {
    ...v4,
    learner6: 'fd10:77::2',
    gateway6: 'fd10:77::1',
    peers6: Object.fromEntries(peers.map((p, i) => [p, `fd10:77:0:${i + 1}::2`])),
    nobody6: 'fd10:77:0:1::250',
  };
}

/** Repository root, hidden from learner code by an empty tmpfs. */
const repoRoot = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
/** The router's delaying program, run from the repository (the lab container mounts it at the same path). */
const delayScript = path.join(repoRoot, 'harness/router/delay.py');

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let labCounter = 0;
const openLabs = new Set<NetnsLab>();

class NetnsLab extends RouterLab implements Lab {
  readonly addresses: LabAddresses;
  private readonly ns: { learner: string; router: string; peers: Record<string, string> };
  private processes = new Set<LabProcess>();
  private cgroups = new Set<Cgroup>();
  private learners: LabProcess[] = [];
  private peerCount = 0;
  /** The router program (harness/router/agent.ts), run in this process, its commands entering the router's namespace. */
  private agent: RouterAgent | undefined;
  private readonly router: RouterLink;

  protected routerLink(): RouterLink {
    return this.router;
  }
  private closing: Promise<void> | undefined;
  private learnerCount = 0;
  /** Files of this lab (learners' resolv.conf), removed with it. */
  private readonly files = new Set<string>();
  readonly uid: number;

  constructor(
    readonly id: string,
    readonly spec: LabSpec,
  ) {
    super();
    this.addresses = labAddresses(spec.peers);
    this.ns = {
      learner: `${id}-l`,
      router: `${id}-r`,
      peers: Object.fromEntries(spec.peers.map((p, i) => [p, `${id}-p${i}`])),
    };
    this.uid = leaseUid();
    this.router = new RouterLink(
      {
        nft: (args, input) => this.agent!.nft(args, input),
        tc: (args) => this.agent!.tc(args),
        sendProbe: (size) => this.agent?.sendProbe(size),
        delayer: () => this.agent!.startDelayer(delayScript, delayMark, delayQueue),
      },
      spec.peers,
      spec.faults,
    );
  }

  private allNamespaces(): string[] {
    return [this.ns.learner, this.ns.router, ...Object.values(this.ns.peers)];
  }

  private building: Promise<void> | undefined;

  /** Builds the lab; close() waits for a build under way, so Ctrl-C mid-build leaves nothing. */
  setup(): Promise<void> {
    this.building ??= this.build();
    return this.building;
  }

  private async build(): Promise<void> {
    const { learner, router, peers } = this.ns;
    const peerNames = this.spec.peers;
    const links = [
      `netns add ${learner}`,
      `netns add ${router}`,
      ...peerNames.map((p) => `netns add ${peers[p]}`),
      `link add eth0 netns ${learner} type veth peer name ${routerIfLearner} netns ${router}`,
      ...peerNames.map((p, i) => `link add eth0 netns ${peers[p]} type veth peer name ${routerIfPeer(i)} netns ${router}`),
    ];
    const a = this.addresses;
    // IPv6 addresses without DAD (usable at once: no other host on a link
    // claims them) and no link-local ones (the router's fixed one aside):
    // nothing but the lab's own traffic (no router solicitations, MLD reports).
    const v6 = (address: string | undefined, dev: string): string[] =>
      address ? [`addr add ${address}/64 dev ${dev} nodad`, `link set ${dev} addrgenmode none`] : [];
    const hostConfig = (address: string, gateway: string, address6?: string, gateway6?: string): string =>
      [
        `link set lo up`,
        `addr add ${address}/24 dev eth0`,
        ...v6(address6, 'eth0'),
        `link set eth0 up`,
        `route add default via ${gateway}`,
        ...(gateway6 ? [`route add default via ${gateway6}`] : []),
      ].join('\n') + '\n';
    const router6 = (i: number): string | undefined => a.peers6 && `fd10:77:0:${i + 1}::1`;
    this.agent = new RouterAgent(
      {
        ifaces: [
          { name: routerIfLearner, addr: `${a.gateway}/24`, addr6: a.gateway6 && `${a.gateway6}/64` },
          ...peerNames.map((_, i) => ({ name: routerIfPeer(i), addr: `10.77.${i + 1}.1/24`, addr6: router6(i) && `${router6(i)}/64` })),
        ],
        forward: true,
        dropDefaultRoute: false,
        ruleset: routerRuleset(this.spec.faults ?? [], routerTable, this.spec.peers, this.spec.watch) + probeChain,
        probe: a.learner,
        // The namespaces and links, made by the router's own setup process before it enters the router.
        topology: links.join('\n') + '\n',
        hosts: [
          { netns: learner, batch: hostConfig(a.learner, a.gateway, a.learner6, a.gateway6) },
          ...peerNames.map((p, i) => ({ netns: peers[p]!, batch: hostConfig(a.peers[p]!, `10.77.${i + 1}.1`, a.peers6?.[p], router6(i)) })),
        ],
      },
      ['nsenter', `--net=${netnsDir}/${router}`],
      { trace: (t, line) => this.router.traceLine(t, line), settled: (n) => this.router.settled(n) },
      nowMs,
    );
    this.router.learnHandles((await this.agent.start()).loaded);
    for (const shape of this.spec.shapes ?? []) await this.router.shape(shape);
    for (const delay of this.spec.delays ?? []) await this.router.delay(delay);
  }

  private assertOpen(): void {
    if (this.closing) throw new Error(`lab ${this.id} is closed`);
  }

  async startPeer(host: string, program: ProgramSpec): Promise<LabProcess> {
    this.assertOpen();
    const ns = this.ns.peers[host];
    if (!ns) throw new Error(`lab has no peer host ${JSON.stringify(host)} (peers: ${this.spec.peers.join(', ')})`);
    // Peers are the kit's own code, but what they face is the learner's: each
    // runs in a cgroup of its own with limits (as under Docker), so a peer fed
    // without end cannot take the machine's memory, processes or CPU.
    const cg = new Cgroup(`${this.id}-peer${this.peerCount++}`, cgroupMode());
    cg.create(peerLimits);
    this.cgroups.add(cg);
    const enter = cg
      .procsFiles()
      .map((f) => `echo $$ > ${f}`)
      .join(' && ');
    const child = spawn(
      'sh',
      [
        '-c',
        `${enter || 'true'} && exec "$@"`,
        'peer',
        'nsenter',
        `--net=${netnsDir}/${ns}`,
        ...cleanEnv(program.env),
        process.execPath,
        '--enable-source-maps',
        `--max-old-space-size=${Math.floor(peerLimits.memoryMb * 0.75)}`,
        program.file,
        ...(program.args ?? []),
      ],
      { stdio: ['pipe', 'pipe', 'pipe', 'pipe'], detached: true, env: { PATH: basePath } },
    );
    const proc = new LabProcess(`peer ${host}`, child, async (sig) => {
      if (sig === 'SIGKILL') await cg.killAll();
      if (child.pid) tryKill(-child.pid, sig);
    });
    proc.memoryLimitHit = () => cg.oomKilled();
    this.track(proc);
    return proc;
  }

  async startLearner(program: ProgramSpec, limitsIn: Partial<Limits> = {}): Promise<LabProcess> {
    const hidepid = await procHidepid();
    this.assertOpen();
    const limits = { ...defaultLimits, ...limitsIn };
    const cg = new Cgroup(`${this.id}-learner${this.learnerCount++}`, cgroupMode());
    cg.create(limits);
    this.cgroups.add(cg);
    const uid = this.uid;
    const heapMb = Math.max(32, Math.floor(limits.memoryMb * 0.75));
    // This run's folder of bundles (harness/bundle.ts): the learner sees it, read-only, at the same path.
    const programDir = path.dirname(path.resolve(program.file));
    const enter = cg
      .procsFiles()
      .map((f) => `echo $$ > ${f}`)
      .join(' && ');
    const inner = [
      ...dropPrivileges(uid, limits),
      ...cleanEnv({ HOME: '/nonexistent', ...program.env }),
      process.execPath,
      '--enable-source-maps',
      `--max-old-space-size=${heapMb}`,
      ...(program.nodeArgs ?? []).map((a) => a.replaceAll(programDirToken, programDir)),
      program.file,
      ...(program.args ?? []),
    ];
    // Outer shell: join the cgroups; in a private mount namespace, make the
    // learner's mounts (sandbox.ts learnerFstab, read from fd 4: an unlinked
    // file, so nothing is left behind); then the learner's network namespace,
    // and an unprivileged uid with no capabilities. Every step execs, so the
    // child's pid ends up being node's: signals reach it, not a wrapper.
    const script = [
      enter || 'true',
      'cd "$2"',
      'mount -a -c -T /proc/self/fd/4',
      'exec 4<&-',
      'cd /',
      'ns="$1"',
      'shift 2',
      `exec nsenter --net="$ns" -- "$@"`,
    ].join(' && ');
    // The lab's resolv.conf, beside the program, bound over /etc/resolv.conf (harness/resolver.ts); removed with the lab.
    const resolvConf = writeResolvConf(program.file, this.spec, this.addresses);
    this.files.add(resolvConf);
    const fstab = fstabFd(learnerFstab({ repoRoot, programDir, hidepid, resolvConf }));
    let child: ChildProcess;
    try {
      child = spawn(
        'unshare',
        ['--mount', '--propagation', 'private', '--', 'sh', '-c', script, 'sandbox', `${netnsDir}/${this.ns.learner}`, programDir, ...inner],
        {
          stdio: ['pipe', 'pipe', 'pipe', 'pipe', fstab],
          detached: true,
          cwd: '/',
          env: { PATH: basePath },
        },
      );
    } finally {
      closeSync(fstab);
    }
    const killTree = async (sig: NodeJS.Signals): Promise<void> => {
      if (sig === 'SIGKILL') {
        await cg.killAll();
        await killUid(uid);
        if (child.pid) tryKill(-child.pid, 'SIGKILL');
      } else if (child.pid) {
        tryKill(child.pid, sig);
      }
    };
    const proc = new LabProcess('learner', child, killTree);
    const wall = setTimeout(() => void proc.kill(), limits.wallMs);
    void proc.exited.then(() => clearTimeout(wall));
    proc.memoryLimitHit = () => cg.oomKilled();
    proc.cpuUsedMs = () => {
      const us = cg.cpuUsageUs();
      return us === undefined ? undefined : us / 1000;
    };
    this.learners.push(proc);
    this.track(proc);
    return proc;
  }

  learnerCpu(): CpuUse | undefined {
    return cpuUse(this.learners);
  }

  private track(proc: LabProcess): void {
    this.processes.add(proc);
  }

  async settleWire(): Promise<void> {
    if (!this.closing) await this.router.settle();
  }

  close(): Promise<void> {
    this.closing ??= this.teardown();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async teardown(): Promise<void> {
    await this.building?.catch(() => {});
    await Promise.all([...this.processes].map((p) => p.kill()));
    this.agent?.close();
    await Promise.all(
      [...this.cgroups].map(async (cg) => {
        await cg.killAll();
        cg.remove();
      }),
    );
    await deleteNamespaces(this.allNamespaces());
    // Anything still running as this lab's uid (a learner that escaped its cgroup) dies before the uid is reused.
    await killUid(this.uid);
    releaseUid(this.uid);
    for (const f of this.files) rmSync(f, { force: true });
    openLabs.delete(this);
  }
}

/** A file descriptor to read `text` from, a regular file (mount(8) reads no pipe) already unlinked. */
function fstabFd(text: string): number {
  const file = `/run/netprog-fstab-${process.pid}-${randomBytes(6).toString('hex')}`;
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeSync(fd, text);
  } finally {
    unlinkSync(file);
  }
  return fd;
}

/** A peer's bounds, as the Docker driver gives its peer containers (memory, processes), and one CPU at most. */
const peerLimits: Limits = { wallMs: 0, memoryMb: 512, pids: 256, cpus: 1 };

const basePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * `env -i` and the variables a lab program gets: nothing of the grader's
 * environment (NODE_OPTIONS from a test runner, tokens, …) reaches it.
 */
function cleanEnv(vars: Record<string, string> = {}): string[] {
  const all = { PATH: basePath, LANG: 'C.UTF-8', ...vars };
  return ['env', '-i', ...Object.entries(all).map(([k, v]) => `${k}=${v}`)];
}

function tryKill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** Kills every process running as `uid` (a learner uid: nothing else uses it). */
async function killUid(uid: number): Promise<void> {
  // Rootless: the harness has the learner's uid too; the learner's process group and the lab's namespaces end it instead.
  if (singleUid()) return;
  killWhere((pid) => Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) === uid);
}

/** SIGKILLs every process of this machine that `pick` chooses (one that exits meanwhile, or cannot be read, is skipped). */
function killWhere(pick: (pid: string) => boolean): void {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (pick(d)) tryKill(Number(d), 'SIGKILL');
    } catch {
      // exited meanwhile, or not ours to read
    }
  }
}

async function deleteNamespaces(names: string[]): Promise<void> {
  const inodes = new Set<string>();
  const present: string[] = [];
  for (const n of names) {
    try {
      inodes.add(`net:[${statSync(`${netnsDir}/${n}`).ino}]`);
      present.push(n);
    } catch {
      // not made, or gone
    }
  }
  if (inodes.size === 0) return;
  // Processes still inside keep a namespace alive after its name is gone (read from /proc here: no process start per namespace).
  killWhere((pid) => inodes.has(readlinkSync(`/proc/${pid}/ns/net`)));
  await runWithInput(['ip', '-force', '-batch', '-'], present.map((n) => `netns del ${n}`).join('\n') + '\n').catch(() => {});
}

export class NetnsDriver implements LabDriver {
  readonly name = 'netns' as const;
  /** Set by closeAll (Ctrl-C): no lab may be made after it, or it would outlive the run. */
  private shutDown = false;

  async status(): Promise<DriverStatus> {
    const problems: Text[] = [];
    const notes: Text[] = [];
    if (process.platform !== 'linux') problems.push(words.needsLinux);
    else if (process.getuid?.() !== 0) problems.push(words.needsRoot);
    for (const [tool, pkg] of [
      ['ip', 'iproute2'],
      ['nft', 'nftables'],
      ['nsenter', 'util-linux'],
      ['setpriv', 'util-linux'],
      ['unshare', 'util-linux'],
      ['mount', 'mount'],
      ['prlimit', 'util-linux'],
      ['bash', 'bash'],
    ] as const) {
      const found = await $try`sh -c ${`command -v ${tool}`}`;
      if (found.exitCode !== 0) problems.push(words.toolMissing({ tool, pkg }));
    }
    notes.push(sandboxReport());
    if (problems.length === 0) notes.push(await privacyReport());
    return { usable: problems.length === 0, problems, notes };
  }

  async create(spec: LabSpec): Promise<Lab> {
    if (this.shutDown) throw new Error('the run is being stopped');
    const lab = new NetnsLab(`${owner}${labCounter++}`, spec);
    openLabs.add(lab);
    try {
      await lab.setup();
    } catch (err) {
      await lab.close();
      throw new Error(`could not build the lab: ${errorText(err)}`);
    }
    return lab;
  }

  async closeAll(): Promise<void> {
    this.shutDown = true;
    // A lab still being built joins openLabs before its first command, so this catches it too.
    await Promise.all([...openLabs].map((l) => l.close()));
  }

  async reapStale(): Promise<void> {
    const re = new RegExp(`^${namePrefix}(\\d+)-`);
    const stale = (name: string): boolean => {
      const m = re.exec(name);
      return m !== null && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]));
    };
    const names = existsSync(netnsDir) ? readdirSync(netnsDir) : [];
    await deleteNamespaces(names.filter(stale));
    for (const dir of listCgroups(namePrefix)) if (stale(dir.split('/').pop()!)) await reapCgroup(dir);
    for (const uid of staleUidLeases()) {
      await killUid(uid);
      releaseUid(uid);
    }
  }
}
