/**
 * The docker driver: each lab is a few containers on bridge networks of its
 * own, in the netns driver's topology (see docker/README.md):
 *
 *   learner X.2 ──net-l── X.1 router Y0.1 ──net-p0── Y0.2 peer 0 …
 *
 * Every network is a bridge with no address on the host side
 * (inhibit_ipv4), no NAT, and the router as its gateway, so a container on it
 * reaches the router and nothing else. The router (NET_ADMIN, nothing more)
 * carries the faults in nftables and reports `nft monitor trace`. Each
 * program (learner or peer) runs in a container of its own, made when it
 * starts: the learner's is unprivileged, without capabilities, read-only,
 * limited in memory, CPU and processes, with only its bundle mounted.
 * Subnets X and Y are chosen per lab from a pool, so labs of parallel
 * graders on one daemon never collide; scenarios only use `lab.addresses`.
 */
import { EventEmitter } from 'node:events';
import { accessSync, constants as fsConstants, existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Writable, type Duplex } from 'node:stream';
import { createInterface } from 'node:readline';
import type Dockerode from 'dockerode';
import type { Container } from 'dockerode';
import type { ContainerRuntimeClient } from 'testcontainers';
import { nowMs, sleep } from '../clock.ts';
import { transformSync } from 'esbuild';
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
import { cpuUse, LabProcess, type CpuUse, type ProgramHandle } from '../process.ts';
import { programDirToken } from '../node-flags.ts';
import { writeResolvConf } from '../resolver.ts';
import type { RouterConfig } from '../router/agent.ts';
import { probeChain, RouterLab, RouterLink, routerTable, StdioRouterPort } from '../router/link.ts';
import type { WireEvent } from '../wire.ts';
import { ensureImage, imageCached, imageTag, offlineBlocker, registryBase } from './image.ts';
import { dockerode, ignoreGone, isStale, label, ownerValue, runtime } from './runtime.ts';
import { FrameDemuxer, RecordSplitter } from './stream.ts';
import type { Text } from '../../grader/i18n.ts';
import { words } from '../words.ts';

let routerSource: string | undefined;
/** The router container's program: harness/router/agent.ts, types stripped, serving its line protocol. */
function routerScript(): string {
  routerSource ??=
    transformSync(readFileSync(new URL('../router/agent.ts', import.meta.url), 'utf8'), { loader: 'ts', format: 'esm', target: 'node18' }).code +
    '\nserveStdio(JSON.parse(process.argv[1]));\n';
  return routerSource;
}

/** The learner's user in the lab image (docker/Dockerfile). */
const learnerUser = '10001:10001';
/**
 * CPU for one learner program: a busy loop (one thread) is never held back,
 * and a program that keeps more threads busy gets 1.5 cores at most.
 */
const learnerCpus = 1.5;
const cpuPeriodUs = 10_000;
const peerMemoryMb = 512;
const basePath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
/** Subnets come from this /16, one /24 per lab network (NETPROG_DOCKER_POOL overrides). */
const pool = (process.env.NETPROG_DOCKER_POOL ?? '10.213.0.0/16').replace(/\.0\.0\/16$/, '');
const namePrefix = 'npg';
const noIpv6 = { 'net.ipv6.conf.all.disable_ipv6': '1', 'net.ipv6.conf.default.disable_ipv6': '1' };

let labCounter = 0;
const openLabs = new Set<DockerLab>();
/** Subnets this process has in use (the daemon knows the others). */
const taken = new Set<string>();

function debug(line: string): void {
  if (process.env.NETPROG_DOCKER_DEBUG) process.stderr.write(`[docker] ${line}\n`);
}

function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_.-]/g, '_');
}

function labels(labId: string, role: string): Record<string, string> {
  return { [label.owner]: ownerValue, [label.lab]: labId, [label.created]: String(Date.now()), [label.role]: role };
}

/** Docker's FinishedAt ("…T12:00:00.123456789Z") as this process's monotonic ms, if it is believable. */
function monotonicFrom(finishedAt: string | undefined, notBefore: number): number | undefined {
  if (!finishedAt || finishedAt.startsWith('0001')) return undefined;
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(finishedAt);
  if (!m) return undefined;
  const wall = Date.parse(`${m[1]}Z`) + Number(`0.${m[2] ?? '0'}`) * 1000;
  const t = nowMs() - (Date.now() - wall);
  return t >= notBefore - 50 && t <= nowMs() + 5 ? t : undefined;
}

const signalNames = Object.fromEntries(Object.entries(os.constants.signals).map(([k, v]) => [v, k as NodeJS.Signals]));

/** One running container, seen the way LabProcess sees a child process. */
class ContainerProgram extends EventEmitter implements ProgramHandle {
  readonly stdout = new PassThrough({ encoding: 'utf8' });
  readonly stderr = new PassThrough({ encoding: 'utf8' });
  readonly events = new PassThrough({ encoding: 'utf8' });
  readonly stdin: Writable;
  readonly pid = undefined;
  oomKilled = false;
  /** Signal numbers the grader sent this container (LabProcess.kill). */
  readonly signalsSent = new Set<number>();
  /** Resolves once the container has exited and been looked at. */
  readonly done: Promise<void>;

  constructor(
    readonly container: Container,
    attach: Duplex,
    wait: Promise<unknown>,
    startedAt: number,
    private readonly clockOffset: () => number,
  ) {
    super();
    const stderrText = new RecordSplitter(
      (text) => this.stderr.write(text),
      (payload) => this.events.write(payload + '\n'),
    );
    const demux = new FrameDemuxer((stream, data) => {
      if (stream === 'stdout') this.stdout.write(data);
      else stderrText.push(data);
    });
    attach.on('data', (b: Buffer) => demux.push(b));
    attach.on('error', () => {});
    this.stdin = new Writable({
      write(chunk, _enc, cb) {
        if (attach.destroyed || attach.writableEnded) return cb();
        attach.write(chunk, () => cb());
      },
    });
    this.stdin.on('error', () => {});
    const streamEnd = new Promise<void>((resolve) => {
      attach.once('end', resolve);
      attach.once('close', resolve);
      attach.once('error', () => resolve());
    });
    this.done = (async () => {
      // The stream ends when the container's init exits; `wait` says so too.
      // Either will do, then the daemon's record gives code and time.
      await Promise.race([streamEnd, wait.catch(() => {})]);
      let info: Dockerode.ContainerInspectInfo | undefined;
      for (let i = 0; i < 250; i++) {
        info = await container.inspect().catch(() => undefined);
        if (!info || !info.State.Running) break;
        await sleep(i < 50 ? 10 : 50);
      }
      await Promise.race([streamEnd, sleep(1000)]);
      stderrText.end();
      const status = info?.State.ExitCode ?? 137;
      this.oomKilled = info?.State.OOMKilled ?? false;
      const t = monotonicFrom(info?.State.FinishedAt, startedAt);
      // The daemon's word, never the program's: docker-init reports a death by
      // signal n as 128+n, and a program that exits with 128+n itself reads
      // the same. So 128+n is a signal only where one explains it: the grader
      // sent signal n (or the kernel's OOM killer, SIGKILL); otherwise it is
      // the exit code the program chose.
      let code: number | null = status;
      let signal: NodeJS.Signals | null = null;
      const n = status - 128;
      if (n > 0 && signalNames[n] && (this.signalsSent.has(n) || (this.oomKilled && n === os.constants.signals.SIGKILL))) {
        code = null;
        signal = signalNames[status - 128]!;
      }
      attach.destroy();
      // The last events and output reach their readers before the exit does,
      // so a waitFor() that sees the exit has seen everything before it.
      const drained = [this.stdout, this.stderr, this.events].map(
        (s) => new Promise<void>((resolve) => (s.readableEnded ? resolve() : s.once('end', resolve))),
      );
      for (const s of [this.stdout, this.stderr, this.events]) s.end();
      await Promise.race([Promise.all(drained), sleep(500)]);
      await new Promise((r) => setImmediate(r));
      this.emit('exit', code, signal, t);
    })();
  }

  /** Event times from a container on another kernel (Docker Desktop) move to this clock. */
  clockShift(): number {
    return this.clockOffset();
  }
}

interface HostState {
  /** Short name: "learner", or the peer's name. */
  name: string;
  /** The docker network and the address this host has on it. */
  network: string;
  address: string;
  /** Holds the host's network stack for the lab's whole life, as a netns would. */
  container?: Container;
}

class DockerLab extends RouterLab implements Lab {
  readonly addresses: LabAddresses;
  private readonly subnets: { learner: string; peers: string[] };
  private readonly networks: string[];
  private readonly hosts = new Map<string, HostState>();
  private readonly processes = new Set<LabProcess>();
  private readonly learners: LabProcess[] = [];
  private readonly containers = new Set<Container>();
  /** Files of this lab on this machine (the learner's resolv.conf), removed with it. */
  private readonly files = new Set<string>();
  private readonly removals = new Set<Promise<void>>();
  private readonly inflight = new Set<Promise<unknown>>();
  /** Set by the driver: the lab's setup, which closing waits for. */
  settingUp: Promise<void> | undefined;
  private readonly networkIds: string[] = [];
  private router: Container | undefined;
  private routerStream: Duplex | undefined;
  private link: RouterLink | undefined;
  private closing: Promise<void> | undefined;
  private programCount = 0;

  constructor(
    readonly id: string,
    readonly spec: LabSpec,
    private readonly client: ContainerRuntimeClient,
    private readonly image: string,
    subnets: string[],
    private readonly driver: DockerDriver,
  ) {
    super();
    this.subnets = { learner: subnets[0]!, peers: subnets.slice(1) };
    this.networks = subnets.map((_, i) => `${id}-${i === 0 ? 'l' : `p${i - 1}`}`);
    const peerNet = (i: number) => this.subnets.peers[i]!;
    // IPv4 only: Docker 20.10 routes a network's IPv6 through the host's bridge, out of the lab (the one-container design has IPv6).
    this.addresses = {
      learner: `${this.subnets.learner}.2`,
      gateway: `${this.subnets.learner}.1`,
      peers: Object.fromEntries(spec.peers.map((p, i) => [p, `${peerNet(i)}.2`])),
      nobody: `${peerNet(0) ?? this.subnets.learner}.250`,
    };
    this.hosts.set('learner', { name: 'learner', network: this.networks[0]!, address: this.addresses.learner });
    spec.peers.forEach((p, i) =>
      this.hosts.set(`peer:${p}`, { name: p, network: this.networks[i + 1]!, address: this.addresses.peers[p]! }),
    );
    this.d = client.container.dockerode;
  }

  /** testcontainers' clients create and start; dockerode does what they have no knob for (attach, wait, kill, force-remove). */
  private readonly d: Dockerode;

  async setup(): Promise<void> {
    const t0 = nowMs();
    const all = [this.subnets.learner, ...this.subnets.peers];
    await allSettledOrThrow(
      all.map(async (subnet, i) => {
        const net = await this.client.network.create({
          Name: this.networks[i]!,
          Driver: 'bridge',
          CheckDuplicate: true,
          Internal: false,
          Labels: labels(this.id, 'network'),
          Options: {
            // No address on the host's side: containers reach the router and nothing else…
            'com.docker.network.bridge.inhibit_ipv4': 'true',
            // …and nothing of theirs is translated out to the host's networks.
            'com.docker.network.bridge.enable_ip_masquerade': 'false',
            'com.docker.network.bridge.enable_icc': 'true',
          },
          // The router takes .1, the gateway Docker gives every container on the network.
          IPAM: { Driver: 'default', Config: [{ Subnet: `${subnet}.0/24`, Gateway: `${subnet}.1` }] },
        });
        this.networkIds.push(net.id);
      }),
    );
    const t1 = nowMs();
    await allSettledOrThrow([this.startRouter(), ...[...this.hosts.values()].map((h) => this.startHost(h))]);
    debug(`${this.id}: networks ${(t1 - t0).toFixed(0)} ms, containers ${(nowMs() - t1).toFixed(0)} ms`);
  }

  /**
   * A host is a container that only holds a network stack (and sleeps): it
   * exists from the lab's start to its end, so its address answers (with a
   * reset, say) whether a program runs there or not, and every program on the
   * host joins it.
   */
  private async startHost(host: HostState): Promise<void> {
    const c = await this.client.container.create({
      name: `${this.id}-${safeName(host.name)}`,
      Image: this.image,
      Hostname: safeName(host.name),
      Labels: labels(this.id, 'host'),
      User: '65534:65534',
      Cmd: ['sleep', 'infinity'],
      HostConfig: {
        Init: true,
        NetworkMode: host.network,
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        Sysctls: noIpv6,
        ReadonlyRootfs: true,
        Memory: 32 * 2 ** 20,
        MemorySwap: 32 * 2 ** 20,
        PidsLimit: 8,
        LogConfig: { Type: 'none', Config: {} },
      },
      NetworkingConfig: { EndpointsConfig: { [host.network]: { IPAMConfig: { IPv4Address: host.address } } } },
    });
    this.containers.add(c);
    await this.client.container.start(c);
    host.container = c;
  }

  private readonly createdAt = nowMs();

  private async startRouter(): Promise<void> {
    const ifaces = [
      { from: `${this.subnets.learner}.3`, name: routerIfLearner, addr: `${this.subnets.learner}.1/24` },
      ...this.subnets.peers.map((s, i) => ({ from: `${s}.3`, name: routerIfPeer(i), addr: `${s}.1/24` })),
    ];
    const cfg: RouterConfig = {
      ifaces,
      forward: false,
      dropDefaultRoute: true,
      ruleset: routerRuleset(this.spec.faults ?? [], routerTable, this.spec.peers, this.spec.watch) + probeChain,
      probe: this.addresses.learner,
    };
    const router = await this.client.container.create({
      name: `${this.id}-router`,
      Image: this.image,
      Hostname: 'router',
      Labels: labels(this.id, 'router'),
      Cmd: ['node', '--input-type=module', '-e', routerScript(), JSON.stringify(cfg)],
      Env: [`PATH=${basePath}`, 'LANG=C.UTF-8'],
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: {
        Init: true,
        NetworkMode: this.networks[0],
        CapDrop: ['ALL'],
        CapAdd: ['NET_ADMIN'],
        SecurityOpt: ['no-new-privileges'],
        // No ICMP rate limit: a rejecting fault answers every SYN, not 6 then 1 a second (harness/router/agent.ts).
        Sysctls: { 'net.ipv4.ip_forward': '1', 'net.ipv4.icmp_ratelimit': '0', ...noIpv6 },
        ReadonlyRootfs: true,
        Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=8m' },
        Memory: 192 * 2 ** 20,
        MemorySwap: 192 * 2 ** 20,
        PidsLimit: 64,
        LogConfig: { Type: 'none', Config: {} },
      },
      NetworkingConfig: { EndpointsConfig: { [this.networks[0]!]: { IPAMConfig: { IPv4Address: ifaces[0]!.from } } } },
    });
    this.containers.add(router);
    this.router = router;
    await allSettledOrThrow(
      this.subnets.peers.map((_, i) =>
        this.d.getNetwork(this.networks[i + 1]!).connect({ Container: router.id, EndpointConfig: { IPAMConfig: { IPv4Address: ifaces[i + 1]!.from } } }),
      ),
    );
    const stream = (await router.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex;
    this.routerStream = stream;
    stream.on('error', () => {});
    const out = new PassThrough({ encoding: 'utf8' });
    let errText = '';
    const demux = new FrameDemuxer((s, data) => {
      if (s === 'stdout') out.write(data);
      else if (errText.length < 4000) errText += data.toString();
    });
    stream.on('data', (b: Buffer) => demux.push(b));
    const died = new Promise<string>((resolve) => {
      const end = () => resolve(port.fatal || errText.trim() || 'the router container stopped');
      stream.once('end', end);
      stream.once('close', end);
    });
    const port = new StdioRouterPort(
      (line) => {
        if (!stream.destroyed) stream.write(line + '\n');
      },
      died,
      () => this.driver.clockOffset,
    );
    const link = new RouterLink(port, this.spec.peers, this.spec.faults);
    port.link = link;
    createInterface({ input: out }).on('line', (line) => {
      if (process.env.NETPROG_DOCKER_DEBUG === 'router') debug(`[router] ${line}`);
      port.line(line);
    });
    const tStart = nowMs();
    await this.client.container.start(router);
    const sent = nowMs();
    debug(`${this.id}: router created in ${(tStart - this.createdAt).toFixed(0)} ms, started in ${(sent - tStart).toFixed(0)} ms`);
    const [readyAt, loaded] = await Promise.race([
      Promise.all([port.ready, port.loaded]),
      died.then((why) => {
        throw new Error(`the router did not start: ${why}`);
      }),
      sleep(20_000).then(() => {
        throw new Error('the router did not become ready within 20 s');
      }),
    ]);
    debug(`${this.id}: router ready ${(nowMs() - sent).toFixed(0)} ms after start`);
    this.driver.learnClock(readyAt, sent);
    link.learnHandles(loaded);
    for (const shape of this.spec.shapes ?? []) await link.shape(shape);
    for (const delay of this.spec.delays ?? []) await link.delay(delay);
    this.link = link;
  }

  protected routerLink(): RouterLink | undefined {
    return this.link;
  }

  async settleWire(): Promise<void> {
    if (this.link && this.routerStream && !this.routerStream.destroyed) await this.link.settle();
  }

  async startPeer(host: string, program: ProgramSpec): Promise<LabProcess> {
    if (!this.hosts.has(`peer:${host}`)) throw new Error(`lab has no peer host ${JSON.stringify(host)} (peers: ${this.spec.peers.join(', ')})`);
    const proc = await this.startProgram(`peer:${host}`, `peer ${host}`, program, {
      User: '0:0',
      Env: [`PATH=${basePath}`, 'LANG=C.UTF-8', 'HOME=/root'],
      hostConfig: { Memory: peerMemoryMb * 2 ** 20, MemorySwap: peerMemoryMb * 2 ** 20, PidsLimit: 256 },
      node: [],
    });
    return proc;
  }

  async startLearner(program: ProgramSpec, limitsIn: Partial<Limits> = {}): Promise<LabProcess> {
    const limits = { ...defaultLimits, ...limitsIn };
    const heapMb = Math.max(32, Math.floor(limits.memoryMb * 0.75));
    const bytes = limits.memoryMb * 2 ** 20;
    // The lab's resolv.conf (harness/resolver.ts) over the one Docker would give (its embedded resolver,
    // which forwards out of the lab). Beside the program's bundle, which is bound into the container
    // anyway (also where the daemon runs elsewhere); removed with the lab.
    const resolvFile = writeResolvConf(program.file, this.spec, this.addresses);
    this.files.add(resolvFile);
    const proc = await this.startProgram('learner', 'learner', program, {
      User: learnerUser,
      binds: [`${resolvFile}:/etc/resolv.conf:ro`],
      Env: [`PATH=${basePath}`, 'LANG=C.UTF-8', 'HOME=/nonexistent'],
      hostConfig: {
        CapDrop: ['ALL'],
        ReadonlyRootfs: true,
        Memory: bytes,
        MemorySwap: bytes,
        // docker-init is one more process in the container.
        PidsLimit: limits.pids + 1,
        // The quota is enforced every 10 ms, not every 100 ms (Docker's
        // default period): a program over it stalls for a few ms, not for a
        // tenth of a second in the middle of what is being timed.
        CpuPeriod: cpuPeriodUs,
        CpuQuota: Math.round(learnerCpus * cpuPeriodUs),
      },
      node: [`--max-old-space-size=${heapMb}`],
    });
    const wall = setTimeout(() => void proc.kill(), limits.wallMs);
    void proc.exited.then(() => clearTimeout(wall));
    this.learners.push(proc);
    return proc;
  }

  learnerCpu(): CpuUse | undefined {
    return cpuUse(this.learners);
  }

  /** Starts a program, tracked so that closing waits for a start under way rather than leaving its container behind. */
  private startProgram(
    hostKey: string,
    name: string,
    program: ProgramSpec,
    opts: { User: string; Env: string[]; hostConfig: Dockerode.HostConfig; node: string[]; binds?: string[] },
  ): Promise<LabProcess> {
    if (this.closing) return Promise.reject(new Error('the lab is closed'));
    const p = this.launch(hostKey, name, program, opts);
    this.inflight.add(p);
    void p.then(
      () => this.inflight.delete(p),
      () => this.inflight.delete(p),
    );
    return p;
  }

  private async launch(
    hostKey: string,
    name: string,
    program: ProgramSpec,
    opts: { User: string; Env: string[]; hostConfig: Dockerode.HostConfig; node: string[]; binds?: string[] },
  ): Promise<LabProcess> {
    const host = this.hosts.get(hostKey)!;
    // The program's folder (this run's bundles, nothing else) is the container's /lab.
    const file = path.resolve(program.file);
    const inside = `/lab/${path.basename(file)}`;
    const env = { ...Object.fromEntries(opts.Env.map((e) => e.split(/=(.*)/s).slice(0, 2) as [string, string])), ...program.env, LAB_EVENTS: 'stderr' };
    const container = await this.client.container.create({
      name: `${this.id}-${safeName(host.name)}-${this.programCount++}`,
      Image: this.image,
      Labels: labels(this.id, hostKey),
      User: opts.User,
      WorkingDir: '/',
      Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      Cmd: ['node', '--enable-source-maps', ...opts.node, ...(program.nodeArgs ?? []).map((a) => a.replaceAll(programDirToken, '/lab')), inside, ...(program.args ?? [])],
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: {
        Init: true,
        SecurityOpt: ['no-new-privileges'],
        Binds: [`${path.dirname(file)}:/lab:ro`, ...(opts.binds ?? [])],
        Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=16m,mode=1777' },
        LogConfig: { Type: 'none', Config: {} },
        NetworkMode: `container:${host.container!.id}`,
        ...opts.hostConfig,
      },
    });
    this.containers.add(container);
    const attach = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as Duplex;
    const wait = container.wait({ condition: 'next-exit' });
    wait.catch(() => {});
    const startedAt = nowMs();
    try {
      await this.client.container.start(container);
    } catch (err) {
      attach.destroy();
      await this.removeContainer(container);
      throw err;
    }
    const handle = new ContainerProgram(container, attach, wait, startedAt, () => this.driver.clockOffset);
    const proc = new LabProcess(name, handle, async (sig) => {
      const n = typeof sig === 'number' ? sig : os.constants.signals[sig as NodeJS.Signals];
      if (n) handle.signalsSent.add(n);
      await ignoreGone(container.kill({ signal: sig }));
    });
    proc.memoryLimitHit = () => handle.oomKilled;
    // The container's CPU time, read from its cgroup on this machine while it runs (gone once it exits).
    const cpu = containerCpu(container.id);
    proc.cpuUsedMs = () => cpu.lastMs;
    this.processes.add(proc);
    void handle.done.then(() => {
      cpu.stop();
      const removal = this.removeContainer(container);
      this.removals.add(removal);
      void removal.finally(() => this.removals.delete(removal));
    });
    return proc;
  }

  private async removeContainer(c: Container): Promise<void> {
    await ignoreGone(c.remove({ force: true, v: true })).catch(() => {});
    this.containers.delete(c);
  }

  close(): Promise<void> {
    this.closing ??= this.teardown();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async teardown(): Promise<void> {
    // Whatever is being made is let finish (briefly), so that it is removed too.
    await Promise.race([Promise.allSettled([this.settingUp, ...this.inflight]), sleep(15_000)]);
    // Programs are stopped (their exits are evidence too) while the router and
    // the hosts go, then whatever is left, then the networks.
    this.routerStream?.destroy();
    const programs = (async () => {
      await Promise.race([Promise.all([...this.processes].map((p) => p.kill())), sleep(5000)]);
      await Promise.all(this.removals);
    })();
    const infrastructure = [this.router, ...[...this.hosts.values()].map((h) => h.container)].filter((c): c is Container => !!c);
    await Promise.all([programs, oneByOne(infrastructure, (c) => this.removeContainer(c))]);
    await oneByOne([...this.containers], (c) => this.removeContainer(c));
    // Anything made but not yet known to us (an interrupted create) carries the lab's label.
    const filters = { label: [`${label.lab}=${this.id}`] };
    const left = await this.d.listContainers({ all: true, filters }).catch(() => []);
    await oneByOne(left, (c) => this.removeContainer(this.d.getContainer(c.Id)));
    const nets = await this.d.listNetworks({ filters }).catch(() => []);
    await Promise.all(nets.map((n) => removeNetwork(this.d, n.Id)));
    for (const f of this.files) rmSync(f, { force: true });
    for (const s of [this.subnets.learner, ...this.subnets.peers]) taken.delete(s);
    openLabs.delete(this);
  }
}

/** The daemon's local socket when it exists but this user may not open it (not in the docker group), else undefined. */
export function dockerSocketDenied(): string | undefined {
  const host = process.env.DOCKER_HOST;
  const socket = host === undefined ? '/var/run/docker.sock' : host.startsWith('unix://') ? host.slice('unix://'.length) : undefined;
  if (!socket || !existsSync(socket)) return undefined;
  try {
    accessSync(socket, fsConstants.R_OK | fsConstants.W_OK);
    return undefined;
  } catch {
    return socket;
  }
}

export class DockerDriver implements LabDriver {
  readonly name = 'docker' as const;
  readonly setupsAtOnce = 2;
  /** Added to container times to make them this process's (non-zero only when the daemon runs on another kernel). */
  clockOffset = 0;
  private sameKernel: boolean | undefined;
  private closed = false;

  async status(): Promise<DriverStatus> {
    const problems: Text[] = [];
    const notes: Text[] = [];
    let client;
    try {
      client = await runtime(4000);
    } catch (err) {
      const socket = dockerSocketDenied();
      problems.push(socket ? words.dockerDenied(socket) : words.noDaemon((err as Error).message.split('\n')[0]!));
      return { usable: false, problems, notes };
    }
    const rt = client.info.containerRuntime;
    const modem = client.container.dockerode.modem as { socketPath?: string; protocol?: string; host?: string; port?: string | number };
    const where = modem.socketPath ? `unix://${modem.socketPath}` : `${modem.protocol ?? 'http'}://${modem.host}:${modem.port}`;
    notes.push(words.dockerAt({ version: String(rt.serverVersion ?? "?"), where, os: String(rt.operatingSystem), cpus: String(rt.cpus) }));
    if (rt.operatingSystemType && rt.operatingSystemType !== 'linux') problems.push(words.notLinuxContainers(rt.operatingSystemType));
    const tag = imageTag();
    if (await imageCached().catch(() => false)) notes.push(words.imageBuilt(tag));
    else notes.push(words.imageNotBuilt({ tag, registry: registryBase, offline: offlineBlocker() ?? '' }));
    notes.push(words.learnerContainers(String(learnerCpus)));
    return { usable: problems.length === 0, problems, notes };
  }

  /** Learns whether containers share this process's clock, from the router's READY stamp. */
  learnClock(routerNow: number, sentAt: number): void {
    if (this.sameKernel) return;
    const offset = (sentAt + nowMs()) / 2 - routerNow;
    // Same kernel: the difference is the trip's latency, and the clocks are one.
    this.clockOffset = Math.abs(offset) > 1000 ? offset : 0;
  }

  async create(spec: LabSpec): Promise<Lab> {
    if (this.closed) throw new Error('the docker driver was closed (interrupted?)');
    const image = await ensureImage();
    const client = await runtime();
    const d = client.container.dockerode;
    if (this.sameKernel === undefined) {
      const info = (await d.info()) as { KernelVersion?: string };
      this.sameKernel = info.KernelVersion === os.release();
    }
    let lastErr: unknown;
    for (let attempt = 0; attempt < 8; attempt++) {
      const subnets = await allocateSubnets(d, 1 + spec.peers.length);
      if (this.closed) {
        for (const sub of subnets) taken.delete(sub);
        throw new Error('the docker driver was closed (interrupted?)');
      }
      const lab = new DockerLab(`${namePrefix}${process.pid}-${labCounter++}`, spec, client, image, subnets, this);
      openLabs.add(lab);
      try {
        lab.settingUp = lab.setup();
        await lab.settingUp;
        return lab;
      } catch (err) {
        await lab.close();
        lastErr = err;
        // Another grader took one of the subnets between our look and our create: pick again.
        if (!/overlap|address already in use|Pool/i.test(String((err as Error).message))) break;
      }
    }
    throw new Error(`could not build the lab: ${(lastErr as Error).message ?? lastErr}`);
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...openLabs].map((l) => l.close()));
  }

  async reapStale(): Promise<void> {
    let d: Dockerode;
    try {
      d = await dockerode();
    } catch {
      return;
    }
    const filters = { label: [label.owner] };
    // A grader killed while the daemon was creating for it leaves creates in
    // flight: the daemon finishes them after we have listed. So when anything
    // stale was found, look again (after a pause) until a look finds nothing.
    for (let round = 0; round < 8; round++) {
      if (round > 0) await sleep(1500);
      const containers = (await d.listContainers({ all: true, filters })).filter((c) => isStale(c.Labels));
      await oneByOne(containers, (c) => ignoreGone(d.getContainer(c.Id).remove({ force: true, v: true })).catch(() => {}));
      const networks = (await d.listNetworks({ filters })).filter((n) => isStale(n.Labels));
      await Promise.all(networks.map((n) => removeNetwork(d, n.Id)));
      if (containers.length === 0 && networks.length === 0) return;
      debug(`reaped ${containers.length} stale containers, ${networks.length} networks (round ${round + 1})`);
    }
  }
}

/**
 * Removes containers one at a time, with a breath between. Docker 20.10's
 * libnetwork (Debian's docker.io 20.10.24 among others) can deadlock the whole
 * daemon when two endpoints of one network are torn down at once: a leaving
 * endpoint holds its network's lock and waits for the controller's, while the
 * watch loop, holding the controller's for the other endpoint's deletion, waits
 * for the network's (moby/moby#46661, fixed in later releases). Every API call
 * then hangs. A lab's router and hosts share networks, so they go one by one;
 * labs never share a network, so different labs' teardowns may overlap.
 */
async function oneByOne<T>(items: T[], remove: (item: T) => Promise<void>): Promise<void> {
  for (const item of items) {
    await remove(item);
    await sleep(teardownBreathMs);
  }
}
/** Lets the daemon's watch loop finish with one endpoint's deletion before the next endpoint leaves. */
const teardownBreathMs = 25;

/** Removes a network, waiting out endpoints the daemon has not quite let go of yet. */
async function removeNetwork(d: Dockerode, id: string): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await ignoreGone(d.getNetwork(id).remove());
      return;
    } catch (err) {
      debug(`network ${id}: ${(err as Error).message}`);
      if (i >= 20) return;
      await sleep(50 * (i + 1));
    }
  }
}

/**
 * Like Promise.all, but waits for every promise before it throws the first
 * error: a lab whose setup fails is closed only once nothing of it is still
 * being created (a network created after close() looked would be left behind).
 */
async function allSettledOrThrow(promises: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Picks `count` free /24s from the pool, avoiding every network the daemon has. */
async function allocateSubnets(d: Dockerode, count: number): Promise<string[]> {
  const networks = await d.listNetworks();
  // What this process has taken is read after the await: labs created at once must not pick alike.
  const used = new Set(taken);
  for (const n of networks) {
    for (const c of n.IPAM?.Config ?? []) {
      const m = /^(\d+\.\d+\.\d+)\.\d+\/(\d+)$/.exec(c.Subnet ?? '');
      if (m && Number(m[2]) >= 24) used.add(m[1]!);
      else if (m && m[1]!.startsWith(`${pool}.`)) {
        // A wider network over our pool: treat the whole pool as taken by it.
        for (let i = 0; i < 256; i++) used.add(`${pool}.${i}`);
      }
    }
  }
  const out: string[] = [];
  const start = Math.floor(Math.random() * 256);
  for (let i = 0; i < 256 && out.length < count; i++) {
    const s = `${pool}.${(start + i) % 256}`;
    if (!used.has(s)) out.push(s);
  }
  if (out.length < count) throw new Error(`no free subnet left in ${pool}.0.0/16 (set NETPROG_DOCKER_POOL to another /16)`);
  for (const s of out) taken.add(s);
  return out;
}

/**
 * Where a container's CPU time is accounted on this machine: cgroup v1 or v2,
 * Docker's cgroupfs or systemd layout. None of them where the daemon runs
 * elsewhere (Docker Desktop's VM, a remote DOCKER_HOST): then unknown.
 */
function containerCpuFile(id: string): { file: string; usec: (text: string) => number } | undefined {
  const v1 = (text: string) => Number(text.trim()) / 1000;
  const v2 = (text: string) => Number(/^usage_usec (\d+)$/m.exec(text)?.[1] ?? NaN);
  const candidates = [
    { file: `/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, usec: v1 },
    { file: `/sys/fs/cgroup/cpu,cpuacct/docker/${id}/cpuacct.usage`, usec: v1 },
    { file: `/sys/fs/cgroup/cpuacct/system.slice/docker-${id}.scope/cpuacct.usage`, usec: v1 },
    { file: `/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, usec: v2 },
    { file: `/sys/fs/cgroup/docker/${id}/cpu.stat`, usec: v2 },
  ];
  return candidates.find((c) => existsSync(c.file));
}

/** Polls a running container's CPU time (every 100 ms): the last reading stands once it exits. */
function containerCpu(id: string): { lastMs: number | undefined; stop(): void } {
  const where = containerCpuFile(id);
  if (!where) return { lastMs: undefined, stop: () => {} };
  const state: { lastMs: number | undefined; stop(): void } = { lastMs: undefined, stop: () => clearInterval(timer) };
  const read = () => {
    try {
      const us = where.usec(readFileSync(where.file, 'utf8'));
      if (Number.isFinite(us)) state.lastMs = us / 1000;
    } catch {
      // gone: the container exited; the last reading stands
    }
  };
  read();
  const timer = setInterval(read, 100);
  timer.unref();
  return state;
}

