/** The lab drivers, how the default is chosen, and what `grade doctor` says about them. */
import type { DriverStatus, LabDriver } from '../harness/lab.ts';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DockerDriver, dockerSocketDenied } from '../harness/docker/driver.ts';
import { catalogue, join, localized, textIn, type Localized, type Text } from './i18n.ts';
import { words } from '../harness/words.ts';
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
export const installHint = words.installHint;

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
): Promise<{ driver: LabDriver; status: DriverStatus } | { problems: Localized[] }> {
  const order: DriverName[] = requested ? [requested] : defaultOrder;
  const problems: Localized[] = [];
  for (const name of order) {
    const driver = makeDriver(name);
    const status = await driver.status();
    if (status.usable) return { driver, status };
    problems.push(...status.problems.map((p) => join(`${name}: `, p)));
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
async function namespacesPermitted(): Promise<Localized> {
  if (process.platform !== 'linux') return localized('no (not Linux)', 'không (không phải Linux)');
  if (process.getuid?.() !== 0) return localized('no (not root)', 'không (không phải root)');
  const ns = `npg${process.pid}-doctor`;
  const made = await $try`ip netns add ${ns}`;
  if (made.exitCode !== 0) {
    const why = made.stderr.trim() || 'ip netns add failed';
    return localized(`no (${why})`, `không (${why})`);
  }
  await $try`ip netns del ${ns}`;
  return localized('yes', 'có');
}

/** `grade doctor`: every driver's state, the kernel's extras, and what they mean for grading here. */
const doctorWords = catalogue(
  {
    head: 'What this machine can run:',
    usable: (name: string) => `driver ${name}: usable`,
    notUsable: (name: string) => `driver ${name}: not usable`,
    yes: 'yes',
    no: 'no',
    dockerReachable: (yes: string) => `Docker reachable: ${yes}`,
    namespaces: (answer: string) => `network namespaces permitted: ${answer}`,
    nft: (yes: boolean) => `nftables on this machine: ${yes ? 'yes' : 'no (the docker driver brings its own, in the lab image)'}`,
    delay: (p: { netem: boolean; delayer: boolean }) =>
      `netem: ${p.netem ? 'present (constant delay on whole links by qdisc)' : 'absent'}; the router's delaying program (python3 and iptables): ` +
      (p.delayer ? 'present (added latency per link or flow, with jitter)' : 'missing — scenarios that add latency fail under the netns driver here; `sudo bin/setup` installs it'),
    tbf: (yes: boolean) => `tbf: ${yes ? 'present (bandwidth limits)' : 'absent'}`,
    usesDocker: '→ `grade` uses the docker driver: one lab container per grade, every scenario a set of namespaces inside it (the first run builds the lab image once).',
    alsoNetns: '  `--driver netns` is also available here, and faster to set up.',
    usesNetns: '→ `grade` uses the netns driver (no Docker daemon answers): labs are network namespaces on this machine.',
    cannot: (hint: string) => `→ grading cannot run here: ${hint}.`,
  },
  {
    head: 'Máy này chạy được gì:',
    usable: (name) => `driver ${name}: dùng được`,
    notUsable: (name) => `driver ${name}: không dùng được`,
    yes: 'có',
    no: 'không',
    dockerReachable: (yes) => `Docker trả lời: ${yes}`,
    namespaces: (answer) => `được phép tạo network namespace: ${answer}`,
    nft: (yes) => `nftables trên máy này: ${yes ? 'có' : 'không (driver docker mang theo nftables của nó, trong image của lab)'}`,
    delay: (p) =>
      `netem: ${p.netem ? 'có (delay cố định trên cả link bằng qdisc)' : 'không có'}; chương trình tạo delay của router (python3 và iptables): ` +
      (p.delayer ? 'có (thêm latency theo link hoặc theo flow, có jitter)' : 'thiếu — ở đây các scenario thêm latency sẽ fail với driver netns; `sudo bin/setup` cài nó'),
    tbf: (yes) => `tbf: ${yes ? 'có (giới hạn băng thông)' : 'không có'}`,
    usesDocker: '→ `grade` dùng driver docker: một container lab cho mỗi lần chấm, mỗi scenario là một nhóm namespace bên trong nó (lần chạy đầu build image của lab một lần).',
    alsoNetns: '  ở đây cũng dùng được `--driver netns`, và nó dựng lab nhanh hơn.',
    usesNetns: '→ `grade` dùng driver netns (không có Docker daemon nào trả lời): lab là các network namespace trên máy này.',
    cannot: (hint) => `→ không chấm được ở đây: ${hint}.`,
  },
);

export async function doctorReport(lang: Lang = 'en'): Promise<string> {
  const w = doctorWords;
  const say = (t: Text) => textIn(t, lang);
  const lines: string[] = [say(w.head), ''];
  const usable: DriverName[] = [];
  const statuses = await Promise.all(driverNames.map(async (name) => [name, await makeDriver(name).status()] as const));
  for (const [name, st] of statuses) {
    if (st.usable) usable.push(name);
    lines.push(`  ${say(st.usable ? w.usable(name) : w.notUsable(name))}`);
    for (const p of st.problems) lines.push(`    - ${say(p)}`);
    for (const n of st.notes) lines.push(`    · ${say(n)}`);
  }
  lines.push('');
  const docker = statuses.find(([n]) => n === 'docker')![1];
  lines.push(`  ${say(w.dockerReachable(docker.usable ? w.yes : w.no))}`);
  lines.push(`  ${say(w.namespaces(await namespacesPermitted()))}`);
  const nft = await $try`sh -c ${'command -v nft'}`;
  lines.push(`  ${say(w.nft(nft.exitCode === 0))}`);
  if (process.platform === 'linux' && process.getuid?.() === 0) {
    const k = await kernelFeatures();
    lines.push(`  ${say(w.delay({ netem: k.netem, delayer: onPath('python3') && onPath('iptables') }))}`);
    lines.push(`  ${say(w.tbf(k.tbf))}`);
  }
  lines.push('');
  const chosen = defaultOrder.find((n) => usable.includes(n));
  if (chosen === 'docker') {
    lines.push(`  ${say(w.usesDocker)}`);
    if (usable.includes('netns')) lines.push(`  ${say(w.alsoNetns)}`);
  } else if (chosen === 'netns') {
    lines.push(`  ${say(w.usesNetns)}`);
  } else {
    lines.push(`  ${say(w.cannot(installHint))}`);
  }
  return lines.join('\n');
}
