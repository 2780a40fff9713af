/**
 * Nothing of a docker lab outlives the grader: not after a normal run, not
 * after Ctrl-C (SIGINT), and after a kill -9 the next grader's reapStale
 * removes what the dead one left. Only the lab image stays.
 */
import t from 'tap';
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../grader/paths.ts';
import { ContainerLabsDriver } from '../harness/docker/labs-container.ts';
import { dockerode, label } from '../harness/docker/runtime.ts';
import { sleep } from '../harness/clock.ts';
import { makeDriver } from '../grader/drivers.ts';

const driver = makeDriver('docker');
/** Every lab of a grader in one lab container (the default), or containers per host (NETPROG_DOCKER_LABS=classic). */
const oneContainer = driver instanceof ContainerLabsDriver;
const status = await driver.status();
if (!status.usable) {
  t.plan(0, `no usable Docker here: ${status.problems.join('; ')}`);
  process.exit(0);
}
const d = await dockerode();

async function leftovers(pid: number): Promise<{ containers: number; networks: number }> {
  const filters = { label: [`${label.owner}=${os.hostname()}:${pid}`] };
  const [c, n] = await Promise.all([d.listContainers({ all: true, filters }), d.listNetworks({ filters })]);
  return { containers: c.length, networks: n.length };
}

function grade(): { child: ChildProcess; exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; output: () => string } {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/grade.mjs'), 'connect-timeout', '--solution', '--driver', 'docker', '--json'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b));
  child.stderr!.on('data', (b: Buffer) => (out += b));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  return { child, exit, output: () => out };
}

/** Waits until the grader has labs up (containers carrying its pid). */
async function labsUp(pid: number, want = oneContainer ? 1 : 6): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const { containers } = await leftovers(pid);
    if (containers >= want) return containers;
    await sleep(100);
  }
  return 0;
}

t.test('a normal run leaves nothing behind', async (t) => {
  const g = grade();
  const { code } = await g.exit;
  t.equal(code, 0, 'the grade passes', { output: g.output().slice(-2000) });
  t.same(await leftovers(g.child.pid!), { containers: 0, networks: 0 });
});

t.test('Ctrl-C (SIGINT) removes every lab before the grader exits', async (t) => {
  const g = grade();
  t.ok(await labsUp(g.child.pid!), 'labs came up');
  await sleep(300);
  const sent = Date.now();
  g.child.kill('SIGINT');
  const { code } = await g.exit;
  t.equal(code, 130, 'exit 130 after an interrupt');
  t.ok(Date.now() - sent < 20_000, `cleaned up in ${Date.now() - sent} ms`);
  t.same(await leftovers(g.child.pid!), { containers: 0, networks: 0 }, 'no container, no network');
});

t.test('after kill -9, the next grader reaps what was left', async (t) => {
  const g = grade();
  t.ok(await labsUp(g.child.pid!), 'labs came up');
  g.child.kill('SIGKILL');
  await g.exit;
  const left = await leftovers(g.child.pid!);
  if (oneContainer) {
    // The lab container ends by itself once the dead grader's end of its stdin closes; whatever is still there is the reaper's.
    t.comment(`the dead grader left ${left.containers} containers, ${left.networks} networks`);
  } else t.ok(left.containers > 0 && left.networks > 0, `the dead grader left ${left.containers} containers, ${left.networks} networks`);
  await makeDriver('docker').reapStale();
  t.same(await leftovers(g.child.pid!), { containers: 0, networks: 0 }, 'reaped');
});
