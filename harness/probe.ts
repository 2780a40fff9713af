/**
 * What this kernel offers beyond the basics. netem (delay, jitter, loss
 * models) is a module many kernels lack; scenarios that want delay fall back
 * to peer programs that wait, and loss comes from nftables either way.
 */
import { $try } from './exec.ts';

export interface KernelFeatures {
  netem: boolean;
  tbf: boolean;
}

let cached: Promise<KernelFeatures> | undefined;

export function kernelFeatures(): Promise<KernelFeatures> {
  cached ??= probe();
  return cached;
}

async function probe(): Promise<KernelFeatures> {
  const ns = `npg${process.pid}-probe`;
  const made = await $try`ip netns add ${ns}`;
  if (made.exitCode !== 0) return { netem: false, tbf: false };
  try {
    await $try`ip -n ${ns} link set lo up`;
    const netem = await $try`tc -n ${ns} qdisc add dev lo root netem delay 1ms`;
    await $try`tc -n ${ns} qdisc del dev lo root`;
    const tbf = await $try`tc -n ${ns} qdisc add dev lo root tbf rate 1mbit burst 32kbit latency 50ms`;
    return { netem: netem.exitCode === 0, tbf: tbf.exitCode === 0 };
  } finally {
    await $try`ip netns del ${ns}`;
  }
}
