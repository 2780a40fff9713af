/**
 * What a learner's file may import (harness/bundle.ts): Node built-ins and files inside the
 * graded file's own folder, by their real paths, transitively. Everything else — the kit's
 * checks, solutions, harness, package.json, node_modules, anything a symlink leads to — is
 * refused at bundle time with an error naming the file, line and import.
 */
import t from 'tap';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bundleLearnerModule, CompileError } from '../harness/bundle.ts';
import { repoRoot, solutionFile } from '../grader/paths.ts';

const run = promisify(execFile);
const base = mkdtempSync(path.join(os.tmpdir(), 'confinement-'));
t.teardown(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

/** A folder with `files` in it; returns the path of `main`. */
function folder(files: Record<string, string>, main = 'index.ts'): string {
  const dir = path.join(base, `case-${n++}`, 'work');
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return path.join(dir, main);
}

async function bundles(file: string): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  try {
    const out = await bundleLearnerModule({ file, outDir: path.join(path.dirname(file), '..', 'out') });
    return { ok: true, text: readFileSync(out, 'utf8') };
  } catch (err) {
    if (err instanceof CompileError) return { ok: false, message: err.message };
    throw err;
  }
}

const rel = (from: string, to: string): string => path.relative(path.dirname(from), to);
const solution = solutionFile('connect-timeout');

const refused: Array<{ name: string; make: () => string; names: string | RegExp }> = [
  {
    name: 'the reference by a relative path',
    make: () => {
      const f = folder({});
      writeFileSync(f, `export * from ${JSON.stringify(rel(f, solution))};\n`);
      return f;
    },
    names: /import "\.\.\/.*solutions\/connect-timeout\/index\.ts" leaves/,
  },
  { name: 'the reference by an absolute path', make: () => folder({ 'index.ts': `export * from ${JSON.stringify(solution)};\n` }), names: `import "${solution}" leaves` },
  {
    name: 'the checks',
    make: () => folder({ 'index.ts': `import x from ${JSON.stringify(path.join(repoRoot, 'grader/exercises/connect-timeout/index.ts'))};\nexport const y = x;\n` }),
    names: 'grader/exercises/connect-timeout/index.ts',
  },
  {
    name: 'the harness',
    make: () => folder({ 'index.ts': `import * as k from ${JSON.stringify(path.join(repoRoot, 'harness/runner-kit.ts'))};\nexport const y = k;\n` }),
    names: 'harness/runner-kit.ts',
  },
  { name: 'a package (zx)', make: () => folder({ 'index.ts': `import { $ } from 'zx';\nexport const y = $;\n` }), names: 'import "zx" is not a Node built-in' },
  {
    name: "the kit's package.json",
    make: () => folder({ 'index.ts': `import p from ${JSON.stringify(path.join(repoRoot, 'package.json'))};\nexport const y = p;\n` }),
    names: 'package.json" leaves',
  },
  {
    name: 'require() of a file outside',
    make: () => folder({ 'index.ts': `const s = require(${JSON.stringify(solution)});\nexport const y = s;\n` }),
    names: `import "${solution}" leaves`,
  },
  {
    name: 'a symlinked file',
    make: () => {
      const f = folder({ 'index.ts': `export * from './ref.ts';\n` });
      symlinkSync(solution, path.join(path.dirname(f), 'ref.ts'));
      return f;
    },
    names: /import "\.\/ref\.ts" leaves .* a link to .*solutions/,
  },
  {
    name: 'a symlinked folder',
    make: () => {
      const f = folder({ 'index.ts': `export * from './lib/index.ts';\n` });
      symlinkSync(path.dirname(solution), path.join(path.dirname(f), 'lib'));
      return f;
    },
    names: 'import "./lib/index.ts" leaves',
  },
  {
    name: 'the graded file itself a link to the reference',
    make: () => {
      const f = folder({});
      symlinkSync(solution, f);
      return f;
    },
    names: 'the graded file is a link',
  },
  {
    name: 'a sibling that imports outside (transitively)',
    make: () => folder({ 'index.ts': `export * from './helper.ts';\n`, 'helper.ts': `export * from ${JSON.stringify(solution)};\n` }),
    names: /helper\.ts:1:\d+: import ".*solutions\/connect-timeout\/index\.ts" leaves/,
  },
  {
    name: 'tsconfig.json paths beside the file',
    make: () =>
      folder({
        'index.ts': `export * from 'ref';\n`,
        'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { ref: [solution] } } }),
      }),
    names: 'import "ref" is not a Node built-in',
  },
  { name: 'a file: URL', make: () => folder({ 'index.ts': `export * from ${JSON.stringify(`file://${solution}`)};\n` }), names: 'is not a Node built-in' },
];

for (const c of refused) {
  t.test(`refused: ${c.name}`, async (t) => {
    const file = c.make();
    const r = await bundles(file);
    t.notOk(r.ok, 'does not bundle');
    if (!r.ok) {
      if (typeof c.names === 'string') t.ok(r.message.includes(c.names), `names ${c.names}:\n${r.message}`);
      else t.match(r.message, c.names);
      t.notMatch(r.message, /\n\s+at /, 'no stack trace');
    }
  });
}

t.test('allowed: built-ins, siblings, sibling JSON, subfolders, a path that comes back into the folder', async (t) => {
  const file = folder({
    'index.ts': [
      `import net from 'node:net';`,
      `import { EventEmitter } from 'events';`,
      `import { helper } from './helper.ts';`,
      `import data from './data.json';`,
      `import { deep } from './lib/deep.ts';`,
      `import { back } from '../work/back.ts';`,
      `const r = require('./cjs.cjs');`,
      `export const all = [net.createConnection, EventEmitter, helper, data.marker, deep, back, r.cjs];`,
      ``,
    ].join('\n'),
    'helper.ts': `export const helper = 'HELPER-MARK';\n`,
    'data.json': `{ "marker": "JSON-MARK" }\n`,
    'lib/deep.ts': `export const deep = 'DEEP-MARK';\n`,
    'back.ts': `export const back = 'BACK-MARK';\n`,
    'cjs.cjs': `exports.cjs = 'CJS-MARK';\n`,
  });
  const r = await bundles(file);
  t.ok(r.ok, r.ok ? 'bundles' : r.message);
  if (r.ok) for (const mark of ['HELPER-MARK', 'JSON-MARK', 'DEEP-MARK', 'BACK-MARK', 'CJS-MARK']) t.ok(r.text.includes(mark), `holds ${mark}`);
});

t.test('the CLI: a refused import is a compile error, exit 1, no stack trace', async (t) => {
  const file = folder({ 'index.ts': `export * from ${JSON.stringify(solution)};\n` });
  const r = await run(process.execPath, [path.join(repoRoot, 'bin/grade.mjs'), 'connect-timeout', '--file', file, '--no-color'], { cwd: repoRoot }).then(
    (ok) => ({ code: 0, stdout: ok.stdout, stderr: ok.stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
  t.equal(r.code, 1, `exit 1\n${r.stdout}${r.stderr}`);
  t.match(r.stdout, /does not compile/);
  t.match(r.stdout, /leaves the exercise's folder/);
  t.notMatch(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
});
