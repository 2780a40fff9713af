/**
 * The lab server's line protocol (harness/remote/server.ts ↔ client.ts): one
 * JSON object per line each way.
 *
 *   grader → server   { id, op, … }                         a request; every request is answered once
 *   server → grader   { re: id, ok: true, value }            the answer
 *                     { re: id, ok: false, error }           the request failed (error: a message)
 *                     { ev: 'out', proc, stream, data }     raw output of a program (stdout, stderr, event lines)
 *                     { ev: 'exit', proc, code, signal, t, killedByHarness, oom, cpuMs }
 *                     { ev: 'state', labs: { [lab]: { from, wire: [...events from index from], lost } }, cpu: { [proc]: ms } }
 *
 * Wire events and CPU readings are pushed as they change (a few times a
 * second) and, for one lab, before the answer to its `settle`: when settle
 * resolves, every packet that crossed the router before it is in the mirror.
 * Record signatures are checked by the grader, which holds the key: the server
 * relays event lines untouched.
 */
import type { Fault, FlowCount } from '../faults.ts';
import type { Counter, Delay, LabAddresses, LabSpec, Limits, LinkShape, ProgramSpec } from '../lab.ts';
import type { WireEvent } from '../wire.ts';

export type Request =
  | { id: number; op: 'create'; spec: LabSpec }
  | { id: number; op: 'peer'; lab: string; host: string; program: ProgramSpec }
  | { id: number; op: 'learner'; lab: string; program: ProgramSpec; limits: Partial<Limits> }
  | { id: number; op: 'addFault'; lab: string; fault: Fault }
  | { id: number; op: 'removeFault'; lab: string; fault: string }
  | { id: number; op: 'expireMappings'; lab: string; fault: string }
  | { id: number; op: 'shape'; lab: string; shape: LinkShape }
  | { id: number; op: 'delay'; lab: string; delay: Delay }
  | { id: number; op: 'counters'; lab: string }
  | { id: number; op: 'flows'; lab: string }
  | { id: number; op: 'settle'; lab: string }
  | { id: number; op: 'close'; lab: string }
  | { id: number; op: 'closeAll' }
  | { id: number; op: 'stdin'; proc: string; line: string }
  | { id: number; op: 'signal'; proc: string; signal: NodeJS.Signals };

export type Answer = { re: number; ok: true; value?: unknown } | { re: number; ok: false; error: string };

export interface Created {
  lab: string;
  addresses: LabAddresses;
}

export interface Started {
  proc: string;
  pid?: number;
}

export type Push =
  | { ev: 'out'; proc: string; stream: 'stdout' | 'stderr' | 'events'; data: string }
  | {
      ev: 'exit';
      proc: string;
      code: number | null;
      signal: NodeJS.Signals | null;
      t: number;
      killedByHarness: boolean;
      oom: boolean;
      cpuMs?: number;
    }
  /** `wire`: the lab's events from index `from` on (those the grader has are updated in place). */
  | { ev: 'state'; labs: Record<string, { from: number; wire: WireEvent[]; lost: number }>; cpu: Record<string, number> };

export type { Counter, FlowCount };
