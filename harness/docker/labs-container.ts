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
import type { DriverStatus } from '../lab.ts';
import { RemoteLabsDriver } from '../remote/labs-driver.ts';
import { DockerDriver } from './driver.ts';
import { ensureImage } from './image.ts';
import { dockerode, ignoreGone, label, ownerValue } from './runtime.ts';
import { sleep } from '../clock.ts';
import { textIn } from '../../grader/i18n.ts';
import { words } from '../words.ts';

const repoRoot = path.resolve(new URL('../../', import.meta.url).pathname);
let counter = 0;

export class ContainerLabsDriver extends RemoteLabsDriver {
  readonly name = 'docker' as const;
  protected readonly what = 'the lab container';
  /** Status and reaping are the docker driver's (same daemon, same labels). */
  private readonly classic = new DockerDriver();
  /** The lab container's name, once started. */
  private container: string | undefined;

  async status(): Promise<DriverStatus> {
    const st = await this.classic.status();
    const notes = st.notes.filter((n) => !textIn(n, 'en').startsWith('learner containers:'));
    notes.push(words.labContainer);
    return { ...st, notes };
  }

  reapStale(): Promise<void> {
    return this.classic.reapStale();
  }

  protected async launch(): Promise<ChildProcess> {
    const image = await ensureImage();
    const runBase = path.join(os.tmpdir(), `netprog-grade-${process.getuid?.() ?? 'u'}`);
    const name = `npg${process.pid}-labs${counter++}`;
    const labelArgs = Object.entries({ [label.owner]: ownerValue, [label.lab]: name, [label.created]: String(Date.now()), [label.role]: 'labs' }).flatMap(
      ([k, v]) => ['--label', `${k}=${v}`],
    );
    this.container = name;
    return spawn(
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
  }

  /** --rm: the daemon removes the container once it stopped; make sure, and wait for it. */
  protected async removed(): Promise<void> {
    const name = this.container;
    const d = await dockerode().catch(() => undefined);
    if (!name || !d) return;
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
