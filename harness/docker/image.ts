/**
 * The lab image, built once and reused: its tag is a hash of the recipe
 * (docker/Dockerfile, docker/offline-rootfs.sh) and Node's major version, so
 * an unchanged recipe never rebuilds.
 *
 * Two ways to build it, picked automatically:
 *  - registry: `FROM node:<major>-bookworm-slim` plus Debian's nftables and
 *    iproute2 (docker/Dockerfile), when the base can be pulled;
 *  - offline: a Debian rootfs made with debootstrap from Debian's packages
 *    plus this machine's node binary, brought in with `docker import`, then
 *    the same Dockerfile on top: for machines no image registry answers.
 * NETPROG_IMAGE_PATH=registry|offline forces one.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type Dockerode from 'dockerode';
import { dockerode, label, runtime } from './runtime.ts';

const recipeDir = new URL('../../docker/', import.meta.url).pathname;
const nodeMajor = process.versions.node.split('.')[0]!;
export const registryBase = `node:${nodeMajor}-bookworm-slim`;
const repo = 'netprog-grade-lab';
const baseRepo = 'netprog-grade-base';

export type BuildPath = 'registry' | 'offline';
export type Progress = (line: string) => void;

function hashOf(parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 12);
}

/** What the image is made from; the scripts beside them (build-image.mjs, bench.mjs, README.md) are not. */
const recipeFiles = (): string[] => ['Dockerfile', 'offline-rootfs.sh'];

/** The tag the lab image has for this recipe. */
export function imageTag(): string {
  const parts = recipeFiles().flatMap((f) => [f, readFileSync(path.join(recipeDir, f), 'utf8')]);
  return `${repo}:${hashOf([`node${nodeMajor}`, ...parts])}`;
}

function offlineBaseTag(): string {
  const script = readFileSync(path.join(recipeDir, 'offline-rootfs.sh'), 'utf8');
  return `${baseRepo}:${hashOf([script, process.version, process.arch])}`;
}

async function imageExists(d: Dockerode, tag: string): Promise<boolean> {
  try {
    await d.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

/** Is the lab image for this recipe already there? */
export async function imageCached(): Promise<boolean> {
  return imageExists(await dockerode(), imageTag());
}

/** Why the offline path cannot run here, or null when it can. */
export function offlineBlocker(): string | null {
  if (process.platform !== 'linux') return 'the offline image build needs Linux (debootstrap)';
  if (process.getuid?.() !== 0) return 'the offline image build needs root (debootstrap): run `sudo bash .ci/docker-setup.sh` once';
  const found = ['/usr/sbin/debootstrap', '/usr/bin/debootstrap'].some((p) => existsSync(p));
  if (!found) return 'debootstrap is missing: `apt-get install debootstrap` (or let .ci/docker-setup.sh do it)';
  return null;
}

const defaultProgress: Progress = (line) => process.stderr.write(`  [lab image] ${line}\n`);

let ensuring: Promise<string> | undefined;

/** The lab image's tag, building it first if this machine has none. */
export function ensureImage(progress: Progress = defaultProgress): Promise<string> {
  ensuring ??= ensure(progress);
  ensuring.catch(() => {
    ensuring = undefined;
  });
  return ensuring;
}

async function ensure(progress: Progress): Promise<string> {
  const d = await dockerode();
  const tag = imageTag();
  if (await imageExists(d, tag)) return tag;
  const release = await lock(progress);
  try {
    // Another grader may have built it while we waited for the lock.
    if (await imageExists(d, tag)) return tag;
    await buildImage(d, tag, progress);
    return tag;
  } finally {
    release();
  }
}

/** Builds the image now, by `force`d path or the first that works. */
export async function buildImage(d: Dockerode, tag: string, progress: Progress, force?: BuildPath): Promise<BuildPath> {
  const forced = force ?? (process.env.NETPROG_IMAGE_PATH as BuildPath | undefined);
  const started = Date.now();
  progress(`building ${tag} (first use only; later runs reuse it)`);
  let used: BuildPath;
  if (forced === 'offline') {
    await buildOffline(d, tag, progress);
    used = 'offline';
  } else if (forced === 'registry' || (await pullBase(d, progress))) {
    await dockerBuild(d, tag, { BASE: registryBase, INSTALL: '1' }, progress);
    used = 'registry';
  } else {
    const blocker = offlineBlocker();
    if (blocker) throw new Error(`cannot build the lab image: no registry answered for ${registryBase}, and ${blocker}`);
    progress(`no registry answered for ${registryBase}: building from Debian's packages instead (offline path)`);
    await buildOffline(d, tag, progress);
    used = 'offline';
  }
  progress(`built ${tag} by the ${used} path in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await removeOldImages(d, tag);
  return used;
}

async function pullBase(d: Dockerode, progress: Progress): Promise<boolean> {
  if (await imageExists(d, registryBase)) return true;
  progress(`pulling ${registryBase}…`);
  try {
    const stream = await d.pull(registryBase);
    await new Promise<void>((resolve, reject) => {
      d.modem.followProgress(stream, (err) => (err ? reject(err) : resolve()));
    });
    return await imageExists(d, registryBase);
  } catch (err) {
    progress(`pull failed: ${String((err as Error).message ?? err).split('\n')[0]}`);
    return false;
  }
}

async function dockerBuild(d: Dockerode, tag: string, args: Record<string, string>, progress: Progress): Promise<void> {
  const stream = await d.buildImage(
    { context: recipeDir, src: ['Dockerfile'] },
    { t: tag, buildargs: args, labels: { [label.image]: 'lab' }, rm: true, forcerm: true, pull: false } as Dockerode.ImageBuildOptions,
  );
  await new Promise<void>((resolve, reject) => {
    d.modem.followProgress(
      stream,
      (err, out) => {
        const failed = (out as Array<{ error?: string }> | undefined)?.find((o) => o.error);
        if (err || failed) reject(new Error(`docker build failed: ${failed?.error ?? (err as Error).message}`));
        else resolve();
      },
      (ev: { stream?: string; status?: string }) => {
        const text = (ev.stream ?? ev.status ?? '').trim();
        if (text && (text.startsWith('Step ') || /^(Successfully|ERROR|E:)/.test(text))) progress(text);
      },
    );
  });
}

function aptMirror(): string {
  const sources = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const f of sources) {
    try {
      const text = readFileSync(f, 'utf8');
      const deb822 = /^URIs:\s*(\S+\/debian)\/?\s*$/m.exec(text);
      if (deb822) return deb822[1]!;
      const classic = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\/?\s+\S+/m.exec(text);
      if (classic) return classic[1]!;
    } catch {
      // not there
    }
  }
  return 'http://deb.debian.org/debian';
}

function run(cmd: string, args: string[], progress: Progress, show: (line: string) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      if (show(line)) progress(line);
    };
    createInterface({ input: child.stdout }).on('line', onLine);
    createInterface({ input: child.stderr }).on('line', onLine);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} failed (exit ${code}):\n${tail.join('\n')}`))));
  });
}

async function buildOffline(d: Dockerode, tag: string, progress: Progress): Promise<void> {
  const blocker = offlineBlocker();
  if (blocker) throw new Error(blocker);
  const base = offlineBaseTag();
  if (!(await imageExists(d, base))) {
    const work = mkdtempSync(path.join(os.tmpdir(), 'netprog-rootfs-'));
    const rootfs = path.join(work, 'rootfs');
    try {
      const mirror = aptMirror();
      progress(`debootstrap bookworm from ${mirror} (about a minute)…`);
      let shown = 0;
      await run('sh', [path.join(recipeDir, 'offline-rootfs.sh'), rootfs, mirror, process.execPath], progress, (line) => {
        // debootstrap says a great deal; show every stage change, not every package.
        if (/^I: (Retrieving|Validating|Checking|Extracting|Installing|Configuring) /.test(line)) return shown++ % 25 === 0;
        return !line.startsWith('I: ') || /^I: (Base system|Resolving|Found)/.test(line);
      });
      progress(`importing the rootfs as ${base}…`);
      const tar = spawn('tar', ['-C', rootfs, '--numeric-owner', '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let tarErr = '';
      tar.stderr.on('data', (b: Buffer) => (tarErr += b.toString()));
      const [repoName, tagName] = base.split(':') as [string, string];
      const out = await d.importImage(tar.stdout, { repo: repoName, tag: tagName });
      await new Promise<void>((resolve, reject) => d.modem.followProgress(out as NodeJS.ReadableStream, (err) => (err ? reject(err) : resolve())));
      const code = await new Promise<number | null>((r) => (tar.exitCode !== null ? r(tar.exitCode) : tar.on('close', r)));
      if (code !== 0) throw new Error(`tar failed: ${tarErr}`);
      if (!(await imageExists(d, base))) throw new Error(`docker import did not produce ${base}`);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }
  await dockerBuild(d, tag, { BASE: base, INSTALL: '0' }, progress);
}

/** Older lab images (an earlier recipe) go; the base of the offline path stays while it matches. */
async function removeOldImages(d: Dockerode, keep: string): Promise<void> {
  const keepBase = offlineBaseTag();
  const images = await d.listImages();
  for (const img of images) {
    const tags = (img.RepoTags ?? []).filter((t) => t.startsWith(`${repo}:`) || t.startsWith(`${baseRepo}:`));
    for (const t of tags) {
      if (t === keep || t === keepBase) continue;
      await d
        .getImage(t)
        .remove()
        .catch(() => {});
    }
  }
}

/** One build at a time on this machine, across grader processes. */
async function lock(progress: Progress): Promise<() => void> {
  const dir = path.join(os.tmpdir(), 'netprog-grade-image.lock');
  const owner = path.join(dir, 'pid');
  let told = false;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(owner, String(process.pid));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = 0;
      try {
        holder = Number(readFileSync(owner, 'utf8'));
      } catch {
        // being created or removed right now
      }
      let alive = true;
      try {
        if (holder) process.kill(holder, 0);
      } catch (e) {
        alive = (e as NodeJS.ErrnoException).code === 'EPERM';
      }
      const st = statSync(dir, { throwIfNoEntry: false });
      const age = st ? Date.now() - st.mtimeMs : 0;
      if ((holder && !alive) || age > 30 * 60_000) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (!told) progress(`waiting for another grader (pid ${holder || '?'}) that is building the image…`);
      told = true;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** `node docker/build-image.mjs [--offline|--registry] [--force]`: build (or check) the image now. */
export async function main(argv: string[]): Promise<number> {
  const force = argv.includes('--offline') ? 'offline' : argv.includes('--registry') ? 'registry' : undefined;
  const rebuild = argv.includes('--force');
  const c = await runtime().catch((err: unknown) => {
    console.error(`no Docker daemon answers: ${(err as Error).message}`);
    return null;
  });
  if (!c) return 2;
  const d = c.container.dockerode;
  const tag = imageTag();
  const t0 = Date.now();
  if (!rebuild && (await imageExists(d, tag))) {
    console.log(`${tag} is already built (checked in ${Date.now() - t0} ms)`);
    return 0;
  }
  const release = await lock(defaultProgress);
  try {
    if (rebuild) {
      for (const t of [tag, offlineBaseTag()]) await d.getImage(t).remove({ force: true }).catch(() => {});
    }
    const used = await buildImage(d, tag, defaultProgress, force);
    console.log(`${tag} built by the ${used} path in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    release();
  }
  return 0;
}
