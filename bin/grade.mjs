#!/usr/bin/env node
// Entry point for `npx grade`: load TypeScript through tsx, then run the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../grader/cli.ts');
