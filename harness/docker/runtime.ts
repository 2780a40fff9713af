/**
 * The connection to the Docker daemon, found the way testcontainers finds it
 * (DOCKER_HOST, ~/.testcontainers.properties, the usual sockets, rootless and
 * Docker Desktop ones), and the labels every object of ours carries.
 *
 * testcontainers and dockerode load slowly (about a second), so they are
 * imported only when a docker lab is wanted: the netns path never pays.
 */
import os from 'node:os';
import type Dockerode from 'dockerode';
import type { ContainerRuntimeClient } from 'testcontainers';

// No registry may answer here, so Ryuk (testcontainers' reaper image) could
// not be pulled: we label everything and reap it ourselves (reapStale).
process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';

/** Labels on every container, network and image of ours. */
export const label = {
  /** "<hostname>:<pid>" of the grader that made it. */
  owner: 'netprog-grade.owner',
  /** The lab it belongs to. */
  lab: 'netprog-grade.lab',
  /** Milliseconds since the epoch when it was made. */
  created: 'netprog-grade.created',
  role: 'netprog-grade.role',
  image: 'netprog-grade.image',
} as const;

export const ownerValue = `${os.hostname()}:${process.pid}`;

let client: Promise<ContainerRuntimeClient> | undefined;

/** The daemon's client; rejects (quickly) when no daemon answers. */
export function runtime(timeoutMs = 8000): Promise<ContainerRuntimeClient> {
  client ??= (async () => {
    const { getContainerRuntimeClient } = await import('testcontainers');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer from a Docker daemon within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([getContainerRuntimeClient(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  })();
  client.catch(() => {
    client = undefined;
  });
  return client;
}

export async function dockerode(): Promise<Dockerode> {
  return (await runtime()).container.dockerode;
}

/** Is a daemon error "not there (any more)"? Cleanup treats those as done. */
export function isGone(err: unknown): boolean {
  const code = (err as { statusCode?: number }).statusCode;
  return code === 404 || code === 409 || /no such|not found|is not running|already in progress/i.test(String((err as Error).message));
}

export async function ignoreGone(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (!isGone(err)) throw err;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Objects made by other graders on other machines are left alone this long. */
const foreignMaxAgeMs = 6 * 3600_000;

/** Was this object left behind by a grader that is gone? */
export function isStale(labels: Record<string, string> | undefined): boolean {
  const owner = labels?.[label.owner];
  if (!owner) return false;
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (host === os.hostname()) return pid !== process.pid && !pidAlive(pid);
  return Date.now() - Number(labels[label.created] ?? 0) > foreignMaxAgeMs;
}
