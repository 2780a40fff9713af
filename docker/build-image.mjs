#!/usr/bin/env node
// Builds the lab image now (it is otherwise built on first use):
//   node docker/build-image.mjs [--offline | --registry] [--force]
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../harness/docker/image.ts');
process.exit(await main(process.argv.slice(2)));
