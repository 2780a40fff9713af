/**
 * Node's permission model for a learner's runner: the process may read its own
 * folder (the runner and the learner's bundle) and nothing else, and may not
 * start processes or workers, load addons, or open the inspector. It closes the
 * ways to read the process's own memory (/proc/self/mem, the inspector) where
 * the run's key lives (harness/runner-kit.ts), and to reach the grader's files.
 * Node calls the model a seat belt, not a sandbox: the lab's own isolation
 * (uid, namespaces, cgroups, containers) stays the boundary.
 */

/** Stands for the program's folder in `ProgramSpec.nodeArgs`; each driver puts in the path its host sees. */
export const programDirToken = '{programDir}';

/** The flags, for the node that runs the lab (the host's under netns; the image's, the same major, under Docker). */
export function permissionFlags(flags: ReadonlySet<string> = process.allowedNodeEnvironmentFlags): string[] {
  // Node 22.13+/23.5+ call it --permission; 20 and early 22 --experimental-permission.
  const enable = flags.has('--permission') ? '--permission' : flags.has('--experimental-permission') ? '--experimental-permission' : null;
  if (!enable) return [];
  const out = [enable, `--allow-fs-read=${programDirToken}/`];
  // Where the model also governs the network (Node 25+), the lab is the network.
  if (flags.has('--allow-net')) out.push('--allow-net');
  // "Permission is an experimental feature" on stderr is not the learner's output.
  if (flags.has('--disable-warning')) out.push('--disable-warning=ExperimentalWarning');
  return out;
}
