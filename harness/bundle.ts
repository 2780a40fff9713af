/**
 * Turns a TypeScript entry (a peer, or a runner plus the learner's file) into
 * one self-contained .mjs file. Lab hosts then run plain `node file.mjs`: no
 * loader, no node_modules and none of the repository inside the sandbox, and
 * a learner file that does not compile is reported once, before any lab.
 */
import { build, type Message, type OnResolveArgs, type OnResolveResult, type PluginBuild } from 'esbuild';
import { builtinModules } from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, realpathSync, renameSync } from 'node:fs';
import path from 'node:path';

/** The import specifier runners use for the learner's module. */
export const learnerModule = 'learner:module';

export class CompileError extends Error {
  constructor(
    readonly file: string,
    readonly messages: string[],
  ) {
    super(`${file} does not compile:\n${messages.join('\n')}`);
  }
}

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function describe(m: Message): string {
  const loc = m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : '';
  const line = m.location?.lineText ? `\n    ${m.location.lineText.trim()}` : '';
  return `${loc}${m.text}${line}`;
}

/** Marks the resolve calls the confinement makes itself, so they are not confined twice. */
const resolving = Symbol('lab-imports: resolving');

/** Inside `root` (both real paths), or `root` itself. */
function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function realFolderOf(file: string): string {
  try {
    return realpathSync(path.dirname(file));
  } catch {
    return path.dirname(file);
  }
}

/**
 * The graded file itself must live in its folder: a symlink to a file elsewhere
 * (a reference, say) is refused before anything is bundled.
 */
function confinedEntry(file: string): void {
  let real: string;
  try {
    real = realpathSync(file);
  } catch {
    return; // esbuild says the file is missing, in its words
  }
  if (!inside(realFolderOf(file), real)) {
    throw new CompileError(file, [`${file}: the graded file is a link to ${real}, outside its folder: hand in the file itself`]);
  }
}

/**
 * The exercise contract for learner code: Node built-ins, and files inside the
 * graded file's folder (its subfolders too), found by their real paths. Nothing
 * of the kit (checks, solutions, package.json, node_modules) and nothing a
 * symlink leads to outside the folder; the same holds for every file it imports.
 */
async function confine(b: PluginBuild, args: OnResolveArgs, root: string): Promise<OnResolveResult | undefined> {
  if (args.kind === 'entry-point') return undefined;
  const spec = args.path;
  const relative = spec === '.' || spec === '..' || spec.startsWith('./') || spec.startsWith('../');
  if (!relative && !path.isAbsolute(spec)) {
    return { errors: [{ text: `import "${spec}" is not a Node built-in: exercise files may import only node:* modules and files in their own folder` }] };
  }
  const found = await b.resolve(spec, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: resolving });
  if (found.errors.length > 0) return { errors: found.errors };
  let real = found.path;
  try {
    real = realpathSync(found.path);
  } catch {
    // esbuild found it; a path that cannot be made real is judged as written
  }
  if (!inside(root, real)) {
    const written = path.resolve(args.resolveDir, spec);
    let linked = false;
    try {
      linked = realpathSync(written) !== written;
    } catch {
      // written without its extension: esbuild's path is the one to show
    }
    const where = linked ? `${written}, a link to ${real}` : real;
    return {
      errors: [{ text: `import "${spec}" leaves the exercise's folder (${where}): exercise files may import only node:* modules and files in their own folder` }],
    };
  }
  return { path: found.path, sideEffects: found.sideEffects };
}

export interface BundleOptions {
  entry: string;
  outDir: string;
  /** The learner's file, imported by the entry as 'learner:module'. */
  learnerFile?: string;
}

/** Builds the bundle and returns its path. Errors in the learner's file raise CompileError. */
export async function bundle(opts: BundleOptions): Promise<string> {
  mkdirSync(opts.outDir, { recursive: true, mode: 0o755 });
  const key = createHash('sha256').update(`${opts.entry}\0${opts.learnerFile ?? ''}`).digest('hex').slice(0, 12);
  const outfile = path.join(opts.outDir, `${path.basename(opts.entry).replace(/\.[mc]?[tj]s$/, '')}-${key}.mjs`);
  const learner = opts.learnerFile ? path.resolve(opts.learnerFile) : undefined;
  // The learner's file is the entry: everything this bundle holds is the learner's, confined to its folder.
  const confined = learner !== undefined && path.resolve(opts.entry) === learner;
  if (confined) confinedEntry(learner);
  const root = confined ? realFolderOf(learner) : undefined;
  try {
    await build({
      entryPoints: [opts.entry],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      // A learner's file may use CommonJS-only globals in an ESM world; give them require.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      // A tsconfig.json the learner puts beside the file must not redirect imports (paths, baseUrl).
      ...(confined ? { tsconfigRaw: '{}' } : {}),
      plugins: [
        {
          name: 'lab-imports',
          setup(b) {
            b.onResolve({ filter: /^learner:module$/ }, () => {
              if (!learner) return { errors: [{ text: 'this program needs a learner file' }] };
              return { path: learner };
            });
            b.onResolve({ filter: /.*/ }, async (args) => {
              if (builtins.has(args.path)) return { path: args.path, external: true };
              if (args.pluginData === resolving) return undefined;
              if (!confined) {
                // A runner or peer: the kit's own code, resolved as usual.
                return undefined;
              }
              return confine(b, args, root!);
            });
          },
        },
      ],
    });
  } catch (err) {
    const failure = err as { errors?: Message[] };
    if (failure.errors) {
      const inLearner = failure.errors.filter((m) => learner && m.location?.file && path.resolve(m.location.file) === learner);
      if (learner && (confined || inLearner.length > 0 || failure.errors.some((m) => !m.location))) {
        throw new CompileError(learner, (inLearner.length && !confined ? inLearner : failure.errors).map(describe));
      }
      throw new Error(`harness program ${opts.entry} does not build:\n${failure.errors.map(describe).join('\n')}`);
    }
    throw err;
  }
  return outfile;
}

/**
 * The learner's module alone, as `<outDir>/learner.mjs`: a runner, bundled
 * apart, imports it at run time once it has locked its process down
 * (harness/runner-kit.ts).
 */
export async function bundleLearnerModule(opts: { file: string; outDir: string }): Promise<string> {
  const out = await bundle({ entry: opts.file, learnerFile: opts.file, outDir: opts.outDir });
  const target = path.join(opts.outDir, 'learner.mjs');
  renameSync(out, target);
  return target;
}
