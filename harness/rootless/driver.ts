/**
 * The netns driver for an ordinary user, without root or Docker: the lab
 * server (harness/remote/main.ts --rootless) runs in new user, mount, network
 * and PID namespaces (`unshare --user --map-root-user …`), where it is root
 * of its own namespaces and builds every lab as the netns driver does —
 * veths, nftables, the trace, the learner's mount namespace.
 *
 * What it gives up, said by status(): the user namespace maps one uid, so
 * learner code runs as the grading user (without capabilities, no-new-privs,
 * its own namespaces, the repository hidden) and could read that user's
 * files outside the lab's mounts; no cgroup is writable, so memory is bounded
 * only by V8's heap, processes by RLIMIT_NPROC, and CPU not at all.
 *
 * NETPROG_ROOTLESS=0 turns the mode off (a machine whose owner wants
 * learner code never to run as a user's own uid).
 *
 * Nothing outlives the server: it is PID 1 of its namespace, so when it ends
 * (its stdin closes: the grader exited, was interrupted or killed) the kernel
 * kills every process of its labs, and the namespaces and the private /run
 * go with them.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DriverStatus } from '../lab.ts';
import { RemoteLabsDriver } from '../remote/labs-driver.ts';
import type { Text } from '../../grader/i18n.ts';
import { words } from '../words.ts';

const repoRoot = path.resolve(new URL('../../', import.meta.url).pathname);
const namespaces = ['--user', '--map-root-user', '--mount', '--net', '--pid', '--fork', '--kill-child'];
const tools: Array<[string, string]> = [
  ['ip', 'iproute2'],
  ['nft', 'nftables'],
  ['nsenter', 'util-linux'],
  ['setpriv', 'util-linux'],
  ['unshare', 'util-linux'],
  ['prlimit', 'util-linux'],
];

const onPath = (tool: string): boolean =>
  (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(path.join(dir, tool))) ||
  ['/usr/sbin', '/sbin'].some((dir) => existsSync(path.join(dir, tool)));

/** Does the kernel let this user make the namespaces? (Some distributions forbid unprivileged user namespaces.) */
function userNamespacesAllowed(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('unshare', [...namespaces, '--', 'true'], { timeout: 5000 }, (err, _out, stderr) =>
      resolve(err ? (String(stderr).trim().split('\n').pop() || err.message) : undefined),
    );
  });
}

/** PATH with the sbin folders, where ip and nft live on Debian. */
const labPath = (): string => [...new Set([...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/local/sbin', '/usr/sbin', '/sbin'])].join(':');

export class RootlessDriver extends RemoteLabsDriver {
  readonly name = 'netns' as const;
  protected readonly what = 'the rootless lab server';

  async status(): Promise<DriverStatus> {
    const problems: Text[] = [];
    if (process.platform !== 'linux') problems.push(words.needsLinux);
    if (process.env.NETPROG_ROOTLESS === '0') problems.push(words.rootlessOff);
    for (const [tool, pkg] of tools) if (!onPath(tool)) problems.push(words.toolMissing({ tool, pkg }));
    if (problems.length === 0) {
      const refused = await userNamespacesAllowed();
      if (refused) {
        problems.push(words.noUserNamespaces(refused));
      }
    }
    const notes = [words.rootlessLabs, words.rootlessGivesUp];
    return { usable: problems.length === 0, problems, notes };
  }

  /** Nothing of a dead run outlives its server's namespaces. */
  async reapStale(): Promise<void> {}

  protected async launch(): Promise<ChildProcess> {
    return spawn('unshare', [...namespaces, '--', process.execPath, '--import', 'tsx', path.join(repoRoot, 'harness/remote/main.ts'), '--rootless'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      // A process group of its own: a Ctrl-C reaches the grader, which closes the labs in order.
      detached: true,
      cwd: repoRoot,
      env: { ...process.env, PATH: labPath(), TSX_DISABLE_CACHE: '1' },
    });
  }
}
