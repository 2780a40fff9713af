#!/usr/bin/env node
// Lab setup and per-exercise wall times, docker and netns:
//   node docker/bench.mjs [--labs N] [--exercises a,b] [--drivers docker,netns]
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/docker/bench.ts');
process.exit(await main(process.argv.slice(2)));
