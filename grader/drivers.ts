/** The lab drivers and how the default is chosen. */
import type { DriverStatus, LabDriver } from '../harness/lab.ts';
import { NetnsDriver } from '../harness/netns/driver.ts';

export const driverNames = ['netns', 'docker'] as const;
export type DriverName = (typeof driverNames)[number];

/** Placeholder until the Docker driver lands: says so instead of failing obscurely. */
class DockerUnavailable implements LabDriver {
  readonly name = 'docker' as const;
  async status(): Promise<DriverStatus> {
    return { usable: false, problems: ['the Docker driver is not available yet: use --driver netns (Linux, as root)'], notes: [] };
  }
  async reapStale(): Promise<void> {}
  async create(): Promise<never> {
    throw new Error('the Docker driver is not available yet');
  }
  async closeAll(): Promise<void> {}
}

export function makeDriver(name: DriverName): LabDriver {
  return name === 'netns' ? new NetnsDriver() : new DockerUnavailable();
}

/** The first driver in order of preference that this machine can run, or every reason none can. */
export async function pickDriver(
  requested?: DriverName,
): Promise<{ driver: LabDriver; status: DriverStatus } | { problems: string[] }> {
  const order: DriverName[] = requested ? [requested] : ['netns', 'docker'];
  const problems: string[] = [];
  for (const name of order) {
    const driver = makeDriver(name);
    const status = await driver.status();
    if (status.usable) return { driver, status };
    problems.push(...status.problems.map((p) => `${name}: ${p}`));
  }
  return { problems };
}
