/**
 * The lab server's program: labs as network namespaces (the netns driver),
 * driven over stdin/stdout (harness/remote/server.ts). Under the docker driver
 * it is the main program of the one lab container a grader process uses.
 *
 *   node --import tsx harness/remote/main.ts [--container | --rootless]
 *
 * --container: first make this container's own cgroups writable (Docker
 * mounts them read-only), so learner limits are sub-cgroups of the container,
 * removed with it.
 * --rootless: run in the user, mount, network and PID namespaces that
 * harness/rootless/driver.ts made for an ordinary user: a private /run (for
 * /run/netns), one uid for harness and learner, no cgroups.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { NetnsDriver } from '../netns/driver.ts';
import { useSingleUid } from '../sandbox.ts';
import { serveLabs } from './server.ts';

function writableCgroups(): void {
  const root = '/sys/fs/cgroup';
  if (existsSync(`${root}/cgroup.controllers`)) {
    // cgroup v2: one tree; remount it writable (the container's own namespace is its root).
    execFileSync('mount', ['-o', 'remount,rw', root]);
    return;
  }
  for (const c of readdirSync(root)) {
    try {
      execFileSync('mount', ['-o', 'remount,bind,rw', `${root}/${c}`], { stdio: 'ignore' });
    } catch {
      // a symlink (cpu → cpu,cpuacct) or a controller the lab does not use
    }
  }
}

if (process.argv.includes('--container')) writableCgroups();
if (process.argv.includes('--rootless')) {
  // This mount namespace is the server's own: /run here is a fresh tmpfs, gone with it.
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'mode=0755,size=8m', 'netprog-run', '/run']);
  useSingleUid();
}
const driver = new NetnsDriver();
const status = await driver.status();
if (!status.usable) {
  process.stderr.write(`lab server: the netns driver cannot run here: ${status.problems.join('; ')}\n`);
  process.exit(2);
}
process.stdout.write(JSON.stringify({ ready: true }) + '\n');
await serveLabs(driver, process.stdin, process.stdout);
process.exit(0);
