/** The lab drivers, how the default is chosen, and what `grade doctor` says about them. */
import type { DriverStatus, LabDriver } from '../harness/lab.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DockerDriver, dockerSocketDenied } from '../harness/docker/driver.ts';
import type { Lang } from './hints.ts';
import { messages } from './messages.ts';
import { ContainerLabsDriver } from '../harness/docker/labs-container.ts';
import { NetnsDriver } from '../harness/netns/driver.ts';
import { RootlessDriver } from '../harness/rootless/driver.ts';
import { $try } from '../harness/exec.ts';
import { kernelFeatures } from '../harness/probe.ts';

export const driverNames = ['netns', 'docker'] as const;
export type DriverName = (typeof driverNames)[number];

/**
 * Preference when no --driver is given: Docker wherever a daemon answers (it
 * needs no root and runs the same on every OS), else network namespaces where
 * this process may make them (Linux, root).
 */
export const defaultOrder: DriverName[] = ['docker', 'netns'];

/** What to install when no driver can run here. */
export const installHint =
  'to grade here, either install Docker (Debian/Ubuntu: `sudo apt-get install docker.io`, then start dockerd — ' +
  '`sudo bash .ci/docker-setup.sh` does both; macOS/Windows: Docker Desktop), or run as root on Linux with ' +
  'iproute2, nftables and util-linux (`sudo npx grade …`)';

export function makeDriver(name: DriverName): LabDriver {
  // Not root on Linux: the same labs inside a user namespace of this user (harness/rootless/driver.ts).
  if (name === 'netns') return process.platform === 'linux' && process.getuid?.() !== 0 ? new RootlessDriver() : new NetnsDriver();
  // Every lab of this process inside one lab container (harness/docker/labs-container.ts);
  // NETPROG_DOCKER_LABS=classic: a few containers per lab (harness/docker/driver.ts), the older design.
  return process.env.NETPROG_DOCKER_LABS === 'classic' ? new DockerDriver() : new ContainerLabsDriver();
}

/** The first driver in order of preference that this machine can run, or every reason none can. */
export async function pickDriver(
  requested?: DriverName,
): Promise<{ driver: LabDriver; status: DriverStatus } | { problems: string[] }> {
  const order: DriverName[] = requested ? [requested] : defaultOrder;
  const problems: string[] = [];
  for (const name of order) {
    const driver = makeDriver(name);
    const status = await driver.status();
    if (status.usable) return { driver, status };
    problems.push(...status.problems.map((p) => `${name}: ${p}`));
  }
  if (!requested) problems.push(installHint);
  return { problems };
}

const onPath = (tool: string): boolean =>
  (process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((dir) => dir && existsSync(path.join(dir, tool)));

/**
 * The first run on a machine that cannot grade yet: one short message, in the
 * learner's language, naming the one command that would make it work here
 * (`grade doctor` gives every detail). `command` is what the learner typed.
 */
export function notReadyMessage(command: string, lang: Lang): string {
  const linux = process.platform === 'linux';
  const root = process.getuid?.() === 0;
  const tools = ['ip', 'nft', 'nsenter', 'setpriv', 'unshare'].every(onPath);
  const denied = linux ? dockerSocketDenied() : undefined;
  const sudo = `sudo ${command}`;
  const say = messages(lang).notReady;
  const advice = !linux ? say.desktop : denied ? say.docker(sudo) : !root ? (tools ? say.sudo(sudo) : say.setup(sudo)) : tools ? say.nested : say.setup(sudo);
  return `${say.head}\n  ${advice}\n  ${say.more}`;
}

/** Can this process make a network namespace? (Root alone is not enough inside some containers.) */
async function namespacesPermitted(): Promise<string> {
  if (process.platform !== 'linux') return 'no (not Linux)';
  if (process.getuid?.() !== 0) return 'no (not root)';
  const ns = `npg${process.pid}-doctor`;
  const made = await $try`ip netns add ${ns}`;
  if (made.exitCode !== 0) return `no (${made.stderr.trim() || 'ip netns add failed'})`;
  await $try`ip netns del ${ns}`;
  return 'yes';
}

/** `grade doctor`: every driver's state, the kernel's extras, and what they mean for grading here. */
export async function doctorReport(): Promise<string> {
  const lines: string[] = ['What this machine can run:', ''];
  const usable: DriverName[] = [];
  const statuses = await Promise.all(driverNames.map(async (name) => [name, await makeDriver(name).status()] as const));
  for (const [name, st] of statuses) {
    if (st.usable) usable.push(name);
    lines.push(`  driver ${name}: ${st.usable ? 'usable' : 'not usable'}`);
    for (const p of st.problems) lines.push(`    - ${p}`);
    for (const n of st.notes) lines.push(`    · ${n}`);
  }
  lines.push('');
  const docker = statuses.find(([n]) => n === 'docker')![1];
  lines.push(`  Docker reachable: ${docker.usable ? 'yes' : 'no'}`);
  lines.push(`  network namespaces permitted: ${await namespacesPermitted()}`);
  const nft = await $try`sh -c ${'command -v nft'}`;
  lines.push(`  nftables on this machine: ${nft.exitCode === 0 ? 'yes' : 'no (the docker driver brings its own, in the lab image)'}`);
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    const k = await kernelFeatures();
    const delayer = onPath('python3') && onPath('iptables');
    lines.push(
      `  netem: ${k.netem ? 'present (constant delay on whole links by qdisc)' : 'absent'}; the router's delaying program (python3 and iptables): ` +
        (delayer ? 'present (added latency per link or flow, with jitter)' : 'missing — scenarios that add latency fail under the netns driver here; `sudo bin/setup` installs it'),
    );
    lines.push(`  tbf: ${k.tbf ? 'present (bandwidth limits)' : 'absent'}`);
  }
  lines.push('');
  const chosen = defaultOrder.find((n) => usable.includes(n));
  if (chosen === 'docker') {
    lines.push('  → `grade` uses the docker driver: one lab container per grade, every scenario a set of namespaces inside it (the first run builds the lab image once).');
    if (usable.includes('netns')) lines.push('    `--driver netns` is also available here, and faster to set up.');
  } else if (chosen === 'netns') {
    lines.push('  → `grade` uses the netns driver (no Docker daemon answers): labs are network namespaces on this machine.');
  } else {
    lines.push(`  → grading cannot run here: ${installHint}.`);
  }
  return lines.join('\n');
}
