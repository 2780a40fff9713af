/**
 * A lab server: runs labs with a local driver (the netns driver) for a grader
 * that talks to it over a stream (harness/remote/protocol.ts). It is how the
 * docker driver grades: one container holds every lab of a grader process, as
 * network namespaces, and the grader drives them from outside.
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Lab, LabDriver } from '../lab.ts';
import type { LabProcess } from '../process.ts';
import type { Push, Request } from './protocol.ts';

const pushEveryMs = 50;
/** How many of a lab's latest wire events every push sends again (see pushState). */
const resent = 64;

export function serveLabs(driver: LabDriver, input: Readable, output: Writable): Promise<void> {
  const labs = new Map<string, Lab>();
  const procs = new Map<string, LabProcess>();
  /** How many wire events of each lab the grader has, the trace version and lost count it last heard. */
  const sent = new Map<string, { wire: number; lost: number; version: number }>();
  let nextProc = 0;
  const send = (msg: unknown): void => {
    if (!output.writableEnded) output.write(JSON.stringify(msg) + '\n');
  };

  /** New wire events and CPU readings since the last push (of one lab, or of all). */
  const pushState = (only?: string): void => {
    const state: Extract<Push, { ev: 'state' }> = { ev: 'state', labs: {}, cpu: {} };
    let any = false;
    for (const [id, lab] of labs) {
      if (only && id !== only) continue;
      const s = sent.get(id)!;
      const wire = lab.wire();
      const lost = lab.wireLost();
      const version = (lab as { wireVersion?: () => number }).wireVersion?.() ?? wire.length;
      if (version !== s.version || lost !== s.lost) {
        // An event gets its verdict or payload from the packet's later trace lines, which come
        // right after its first: the last `resent` events are sent again, to be updated in place.
        const from = Math.max(0, Math.min(s.wire, wire.length - resent));
        state.labs[id] = { from, wire: wire.slice(from), lost };
        s.wire = wire.length;
        s.lost = lost;
        s.version = version;
        any = true;
      }
    }
    if (!only) {
      for (const [id, p] of procs) {
        const ms = p.running ? p.cpuUsedMs() : undefined;
        if (ms !== undefined) {
          state.cpu[id] = ms;
          any = true;
        }
      }
    }
    if (any) send(state);
  };
  const ticker = setInterval(() => pushState(), pushEveryMs);

  const track = (proc: LabProcess): string => {
    const id = `p${nextProc++}`;
    procs.set(id, proc);
    proc.tap = (stream, data) => send({ ev: 'out', proc: id, stream, data });
    void proc.exited.then((x) => {
      send({ ev: 'exit', proc: id, code: x.code, signal: x.signal, t: x.t, killedByHarness: x.killedByHarness, oom: proc.memoryLimitHit(), cpuMs: proc.cpuUsedMs() });
      procs.delete(id);
    });
    return id;
  };

  const labOf = (id: string): Lab => {
    const lab = labs.get(id);
    if (!lab) throw new Error(`no lab ${id}`);
    return lab;
  };

  const handle = async (r: Request): Promise<unknown> => {
    switch (r.op) {
      case 'create': {
        const lab = await driver.create(r.spec);
        labs.set(lab.id, lab);
        sent.set(lab.id, { wire: 0, lost: 0, version: -1 });
        return { lab: lab.id, addresses: lab.addresses };
      }
      case 'peer': {
        const p = await labOf(r.lab).startPeer(r.host, r.program);
        return { proc: track(p), pid: p.pid };
      }
      case 'learner': {
        const p = await labOf(r.lab).startLearner(r.program, r.limits);
        return { proc: track(p), pid: p.pid };
      }
      case 'addFault':
        return labOf(r.lab).addFault(r.fault);
      case 'removeFault':
        return labOf(r.lab).removeFault(r.fault);
      case 'expireMappings':
        return labOf(r.lab).expireMappings(r.fault);
      case 'shape':
        return labOf(r.lab).shape(r.shape);
      case 'delay':
        return labOf(r.lab).delay(r.delay);
      case 'counters':
        return labOf(r.lab).counters();
      case 'flows':
        return labOf(r.lab).flows();
      case 'settle':
        await labOf(r.lab).settleWire();
        pushState(r.lab);
        return undefined;
      case 'close': {
        const lab = labs.get(r.lab);
        if (!lab) return undefined;
        pushState(r.lab);
        await lab.close();
        labs.delete(r.lab);
        sent.delete(r.lab);
        return undefined;
      }
      case 'closeAll':
        await driver.closeAll();
        labs.clear();
        return undefined;
      case 'stdin':
        procs.get(r.proc)?.writeLine(r.line);
        return undefined;
      case 'signal': {
        const p = procs.get(r.proc);
        if (!p) return undefined;
        if (r.signal === 'SIGKILL') await p.kill();
        else await p.signal(r.signal);
        return undefined;
      }
    }
  };

  return new Promise((resolve) => {
    const lines = createInterface({ input });
    lines.on('line', (line) => {
      let r: Request;
      try {
        r = JSON.parse(line) as Request;
      } catch {
        return;
      }
      // Every answer comes after the wire as this server knows it then: what the router saw before
      // a request was handled is in the grader's mirror by the time the request is answered.
      handle(r).then(
        (value) => {
          pushState();
          send({ re: r.id, ok: true, value });
        },
        (err: unknown) => {
          pushState();
          send({ re: r.id, ok: false, error: err instanceof Error ? err.message : String(err) });
        },
      );
    });
    // The grader went away (or closed its end): nothing of its labs may stay.
    lines.on('close', () => {
      clearInterval(ticker);
      void driver.closeAll().finally(resolve);
    });
  });
}
