/**
 * Turns a TypeScript entry (a peer, or a runner plus the learner's file) into
 * one self-contained .mjs file. Lab hosts then run plain `node file.mjs`: no
 * loader, no node_modules and none of the repository inside the sandbox, and
 * a learner file that does not compile is reported once, before any lab.
 */
import { build, type Message } from 'esbuild';
import { builtinModules } from 'node:module';
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync } from 'node:fs';
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
      plugins: [
        {
          name: 'lab-imports',
          setup(b) {
            b.onResolve({ filter: /^learner:module$/ }, () => {
              if (!learner) return { errors: [{ text: 'this program needs a learner file' }] };
              return { path: learner };
            });
            // The learner's file may import Node built-ins only (the exercise contract).
            b.onResolve({ filter: /.*/ }, (args) => {
              if (builtins.has(args.path)) return { path: args.path, external: true };
              if (learner && args.importer === learner && !args.path.startsWith('.') && !args.path.startsWith('/')) {
                return {
                  errors: [{ text: `"${args.path}" is not a Node built-in: exercise files may import only node:* modules` }],
                };
              }
              return undefined;
            });
          },
        },
      ],
    });
  } catch (err) {
    const failure = err as { errors?: Message[] };
    if (failure.errors) {
      const inLearner = failure.errors.filter((m) => learner && m.location?.file && path.resolve(m.location.file) === learner);
      if (learner && (inLearner.length > 0 || failure.errors.some((m) => !m.location))) {
        throw new CompileError(learner, (inLearner.length ? inLearner : failure.errors).map(describe));
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
