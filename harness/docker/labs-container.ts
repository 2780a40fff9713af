/**
 * The docker driver's one-container design, opt-in for now
 * (NETPROG_DOCKER_LABS=container; the default is harness/docker/driver.ts):
 * a grader process starts ONE lab container and every lab it needs is built
 * inside it by the netns driver (harness/remote/main.ts), driven from here
 * over the container's stdin/stdout (harness/remote/client.ts). Faults,
 * trace, sandbox and limits are then the netns driver's own — one
 * implementation for both drivers — and a lab costs what a netns lab costs
 * (tens of ms) instead of a few containers (seconds).
 *
 * The container gets what building namespaces needs and nothing of the
 * host's: no network (--network none: every lab is inside it), its own cgroup
 * namespace (learner limits are its sub-cgroups, removed with it), the
 * capabilities NET_ADMIN, SYS_ADMIN, SYS_PTRACE (and Docker's defaults), no
 * seccomp or AppArmor profile (unshare, mount and setns need them off). The
 * repository is mounted read-only at its own path, the grader's run folder
 * (bundles) read-write at its own; learner code runs inside as it does under
 * netns: its own uid, no capabilities, its own namespaces and cgroup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import type { DriverStatus, Lab, LabDriver, LabSpec } from '../lab.ts';
import { createRemoteLab, LabServerConnection, type RemoteLab } from '../remote/client.ts';
import { DockerDriver } from './driver.ts';
import { ensureImage } from './image.ts';
import { dockerode, ignoreGone, label, ownerValue } from './runtime.ts';
import { sleep } from '../clock.ts';

const repoRoot = path.resolve(new URL('../../', import.meta.url).pathname);
let counter = 0;

export class ContainerLabsDriver implements LabDriver {
  readonly name = 'docker' as const;
  private conn: Promise<LabServerConnection> | undefined;
  private readonly open = new Set<RemoteLab>();
  private closed = false;
  /** Status and reaping are the docker driver's (same daemon, same labels). */
  private readonly classic = new DockerDriver();

  async status(): Promise<DriverStatus> {
    const st = await this.classic.status();
    const notes = st.notes.filter((n) => !n.startsWith('learner containers:'));
    notes.push(
      'labs: network namespaces inside one lab container per grader (the netns driver, run there); learner code: a uid of its own, ' +
        'no capabilities, its own network, mount and process view, memory, process and CPU limits, no route out of the lab',
    );
    return { ...st, notes };
  }

  reapStale(): Promise<void> {
    return this.classic.reapStale();
  }

  private connection(): Promise<LabServerConnection> {
    this.conn ??= (async () => {
      const image = await ensureImage();
      const runBase = path.join(os.tmpdir(), `netprog-grade-${process.getuid?.() ?? 'u'}`);
      const name = `npg${process.pid}-labs${counter++}`;
      const labelArgs = Object.entries({ [label.owner]: ownerValue, [label.lab]: name, [label.created]: String(Date.now()), [label.role]: 'labs' }).flatMap(
        ([k, v]) => ['--label', `${k}=${v}`],
      );
      const child = spawn(
        'docker',
        [
          // --sig-proxy=false and a process group of its own: a Ctrl-C reaches the grader, which closes the labs in order.
          'run', '-i', '--rm', '--init', '--sig-proxy=false', '--name', name, ...labelArgs,
          '--network', 'none', '--cgroupns', 'private',
          '--cap-add', 'NET_ADMIN', '--cap-add', 'SYS_ADMIN', '--cap-add', 'SYS_PTRACE',
          '--security-opt', 'seccomp=unconfined', '--security-opt', 'apparmor=unconfined', '--security-opt', 'systempaths=unconfined',
          '--log-driver', 'none',
          '-v', `${repoRoot}:${repoRoot}:ro`,
          '-v', `${runBase}:${runBase}`,
          '-e', 'TSX_DISABLE_CACHE=1',
          '-w', repoRoot,
          image,
          'node', '--import', 'tsx', path.join(repoRoot, 'harness/remote/main.ts'), '--container',
        ],
        { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
      );
      this.client = { child, name };
      const conn = new LabServerConnection(child, 'the lab container');
      await conn.ready;
      return conn;
    })();
    return this.conn;
  }

  async create(spec: LabSpec): Promise<Lab> {
    if (this.closed) throw new Error('the docker driver was closed (interrupted?)');
    let conn: LabServerConnection;
    try {
      conn = await this.connection();
    } catch (err) {
      this.conn = undefined;
      throw new Error(`could not build the lab: ${(err as Error).message}`);
    }
    const lab = await createRemoteLab(conn, spec, (l) => this.open.delete(l));
    this.open.add(lab);
    return lab;
  }

  /** The `docker run` client of the lab container, and the container's name. */
  private client: { child: ChildProcess; name: string } | undefined;

  /** Closes every lab, then ends the lab container and waits until Docker has removed it. */
  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.open].map((l) => l.close()));
    const conn = await this.conn?.catch(() => undefined);
    conn?.end();
    const client = this.client;
    if (!client) return;
    const { child, name } = client;
    if (child.exitCode === null && child.signalCode === null) {
      const ended = new Promise<void>((r) => child.once('exit', () => r()));
      if (!(await Promise.race([ended.then(() => true), sleep(15_000).then(() => false)]))) child.kill('SIGKILL');
    }
    // --rm: the daemon removes the container once it stopped; make sure, and wait for it.
    const d = await dockerode().catch(() => undefined);
    if (!d) return;
    await ignoreGone(d.getContainer(name).remove({ force: true })).catch(() => {});
    for (let i = 0; i < 50; i++) {
      const gone = await d
        .getContainer(name)
        .inspect()
        .then(
          () => false,
          () => true,
        );
      if (gone) return;
      await sleep(100);
    }
  }
}
