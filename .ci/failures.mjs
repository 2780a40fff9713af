#!/usr/bin/env node
// Reads a TAP log (tap's own output, nested subtests indented by 4 spaces)
// and prints every failed assertion with the path of subtests above it and
// its YAML diagnostics — so the last lines of a CI log name what failed,
// however long the log is. Exit 0 always: the test command's status decides.
//
//   node .ci/failures.mjs LOG
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: node .ci/failures.mjs LOG');
  process.exit(2);
}
const lines = readFileSync(file, 'utf8').split('\n');
const KEYS = new Set(['found', 'wanted', 'diff', 'error', 'message', 'code', 'signal', 'exitCode', 'tapCaught', 'test']);
const depthOf = (line) => Math.floor((line.length - line.trimStart().length) / 4);

// "# Subtest: NAME" opens a level; a test point at the level above closes it.
const path = [];
const failures = [];
for (let i = 0; i < lines.length; i++) {
  const line = lines[i];
  const trimmed = line.trimStart();
  const depth = depthOf(line);
  const sub = /^# Subtest: (.*)$/.exec(trimmed);
  if (sub) {
    path.length = depth;
    path[depth] = sub[1];
    continue;
  }
  if (!/^not ok \d+/.test(trimmed)) continue;
  // A failed parent repeats its children's failure: report leaves only,
  // i.e. not-ok lines whose own subtest had no failing point of its own.
  const name = trimmed.replace(/^not ok \d+ - /, '');
  // Of the YAML block, the keys that say what was found (not where in the
  // test file the assertion sits: its name above says that).
  const diag = [];
  if (lines[i + 1]?.trimStart() === '---') {
    const indent = lines[i + 1].length - lines[i + 1].trimStart().length;
    let keep = false;
    for (let j = i + 2; j < lines.length && lines[j].trimStart() !== '...'; j++) {
      const l = lines[j];
      const key = /^(\w+):/.exec(l.slice(indent));
      if (key) keep = KEYS.has(key[1]);
      if (keep) diag.push(l.slice(indent));
      if (diag.length >= 20) { diag.push('…'); break; }
    }
  }
  failures.push({ where: path.slice(0, depth).filter(Boolean), name, diag, depth });
}

// Drop a failure when a deeper one sits under it (the parent only sums up).
const leaves = failures.filter(
  (f) => !failures.some((g) => g !== f && g.depth > f.depth && f.where.every((w, k) => g.where[k] === w) && g.where[f.depth] === f.name.replace(/ # .*$/, '')),
);

console.log('');
if (leaves.length === 0) {
  console.log('# failures: none in the TAP log');
  process.exit(0);
}
console.log(`# failures: ${leaves.length} failed assertion(s)`);
for (const f of leaves) {
  console.log(`# ✗ ${[...f.where, f.name].join(' › ')}`);
  for (const d of f.diag) console.log(`#     ${d}`);
}
