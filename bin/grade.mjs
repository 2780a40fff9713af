#!/usr/bin/env node
// Entry point for `npx grade`: load TypeScript through tsx, then run the CLI.
//
// tsx caches compiled modules in $TMPDIR/tsx-<uid> and runs them from there on
// the next start. Anyone on the machine (another user; a learner's code, where
// the sandbox shares /tmp) can create that folder first, world-writable, and
// plant a "compiled" module for the next grader to run. The kit runs nothing
// from a place another user can write, so tsx's cache is off (TSX_DISABLE_CACHE,
// read once, when tsx's modules load). The cost: tsx compiles the kit's ~35
// modules on every start, about 0.15 s of CPU (`grade --list`: 0.48 s → 0.63 s).
//
// tsx compiles on Node's hooks thread, whose environment is a copy taken when
// that thread starts: normally by register() below, after the variable is set;
// but a --import/--loader in NODE_OPTIONS (test runners, coverage tools) starts
// it earlier, with the environment from before. So a probe on that thread sets
// the variable there too, before tsx loads, and says whether it had it. If not,
// tsx may already have been loaded there, caching: its folder is then used only
// if it is ours and private (an owner-only directory of this uid, not a
// symlink), made so if absent; otherwise the grade stops (exit 2).
import { chmodSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { register as registerHooks } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';

process.env.TSX_DISABLE_CACHE = '1';

const probe = `import os from 'node:os';
export function initialize({ port }) {
  port.postMessage({ had: Boolean(process.env.TSX_DISABLE_CACHE), tmpdir: os.tmpdir() });
  process.env.TSX_DISABLE_CACHE = '1';
}`;
const { port1, port2 } = new MessageChannel();
registerHooks(`data:text/javascript,${encodeURIComponent(probe)}`, { data: { port: port2 }, transferList: [port2] });
const answer = receiveMessageOnPort(port1)?.message ?? { had: false, tmpdir: os.tmpdir() };
port1.close();
if (!answer.had) ownCacheFolder(path.join(answer.tmpdir, `tsx-${process.geteuid?.() ?? os.userInfo().username}`));

const { register } = await import('tsx/esm/api');
register();
await import('../grader/cli.ts');

/** tsx's cache folder, if tsx may use it: ours (made 0700 if absent), or the grade stops. */
function ownCacheFolder(dir) {
  const uid = process.geteuid?.();
  const look = () => lstatSync(dir, { throwIfNoEntry: false });
  let st = look();
  if (st?.isDirectory() && st.uid === uid && (st.mode & 0o022) !== 0) {
    // Ours, but others could write it: what is in it is not trusted. It is only a cache.
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Not all of it removable by this user: refused below.
    }
    st = look();
  }
  if (!st) {
    try {
      mkdirSync(dir, { mode: 0o700 });
    } catch {
      // Made by someone else meanwhile: judged below.
    }
    st = look();
  }
  if (st?.isDirectory() && !st.isSymbolicLink() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0) {
    chmodSync(dir, 0o700);
    return;
  }
  console.error(
    `grade: ${dir} (tsx's compile cache, in use because a --import or --loader given to node started its hooks thread first) ` +
      'is not a private folder of this user, so code planted there could run. Remove it, or run grade without that loader.',
  );
  process.exit(2);
}
