/**
 * Names in the lab. Learner code resolves through a resolv.conf the driver
 * puts over /etc/resolv.conf in its sandbox (netns: a bind mount in its mount
 * namespace; Docker: a bind mount into its container). It names the scenario's
 * resolver peer (harness/peers/dns-server.ts) where the lab has one, else an
 * address of the lab where no host answers: either way no lookup ever leaves
 * the lab, and one that is not answered fails in about a second (EAI_AGAIN)
 * rather than after glibc's default 5 s × 2 tries.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LabAddresses, LabSpec } from './lab.ts';

/** Where the learner's lookups go: the resolver peer's address, or nobody's. */
export function resolverAddress(spec: LabSpec, addresses: LabAddresses): string {
  if (spec.resolver === undefined) return addresses.nobody;
  const address = addresses.peers[spec.resolver];
  if (!address) throw new Error(`lab resolver ${JSON.stringify(spec.resolver)} is not one of its peers (${spec.peers.join(', ')})`);
  return address;
}

/** The learner's resolv.conf(5). */
export function learnerResolvConf(spec: LabSpec, addresses: LabAddresses): string {
  return `# netprog-grade lab: lookups go to the lab's resolver only\nnameserver ${resolverAddress(spec, addresses)}\noptions timeout:1 attempts:1\n`;
}

/**
 * Writes the learner's resolv.conf beside its program (in the run's folder of
 * bundles, which the run removes and a later run reaps) and returns its path,
 * for the driver to bind over /etc/resolv.conf. Its name is random: the run's
 * folder cannot be listed by learner code (mode 0711), so no program finds the
 * other labs' files, whose number or times would tell scenarios apart.
 */
export function writeResolvConf(programFile: string, spec: LabSpec, addresses: LabAddresses): string {
  const file = path.join(path.dirname(path.resolve(programFile)), `.resolv-${randomBytes(12).toString('hex')}.conf`);
  writeFileSync(file, learnerResolvConf(spec, addresses), { mode: 0o644 });
  chmodSync(file, 0o644);
  return file;
}
