/**
 * A driver whose labs are built by a lab server (harness/remote/main.ts: the
 * netns driver behind stdin/stdout) in a process of their own: one server
 * per grader process, started with the first lab. What differs is only where
 * the server runs — a container (harness/docker/labs-container.ts) or a user
 * namespace of an ordinary user (harness/rootless/driver.ts) — so that is
 * all a subclass says.
 */
import type { ChildProcess } from 'node:child_process';
import type { DriverStatus, Lab, LabDriver, LabSpec } from '../lab.ts';
import { sleep } from '../clock.ts';
import { createRemoteLab, LabServerConnection, type RemoteLab } from './client.ts';

export abstract class RemoteLabsDriver implements LabDriver {
  abstract readonly name: LabDriver['name'];
  /** What the server is, in errors ("the lab container"). */
  protected abstract readonly what: string;
  private conn: Promise<LabServerConnection> | undefined;
  private readonly open = new Set<RemoteLab>();
  private closed = false;
  /** The server's process, once started. */
  protected server: ChildProcess | undefined;

  abstract status(): Promise<DriverStatus>;
  abstract reapStale(): Promise<void>;
  /** Starts the lab server; its stdio are pipes. */
  protected abstract launch(): Promise<ChildProcess>;
  /** After the server's process has ended: remove what held it (a container). */
  protected async removed(): Promise<void> {}

  private connection(): Promise<LabServerConnection> {
    this.conn ??= (async () => {
      this.server = await this.launch();
      const conn = new LabServerConnection(this.server, this.what);
      await conn.ready;
      return conn;
    })();
    return this.conn;
  }

  async create(spec: LabSpec): Promise<Lab> {
    if (this.closed) throw new Error(`the ${this.name} driver was closed (interrupted?)`);
    let conn: LabServerConnection;
    try {
      conn = await this.connection();
    } catch (err) {
      this.conn = undefined;
      throw new Error(`could not build the lab: ${(err as Error).message}`);
    }
    const lab = await createRemoteLab(conn, spec, (l) => this.open.delete(l));
    this.open.add(lab);
    return lab;
  }

  /** Closes every lab, then ends the server (its stdin closes) and waits for it, then for `removed`. */
  async closeAll(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.open].map((l) => l.close()));
    const conn = await this.conn?.catch(() => undefined);
    conn?.end();
    const child = this.server;
    if (!child) return;
    if (child.exitCode === null && child.signalCode === null) {
      const ended = new Promise<void>((r) => child.once('exit', () => r()));
      if (!(await Promise.race([ended.then(() => true), sleep(15_000).then(() => false)]))) child.kill('SIGKILL');
    }
    await this.removed();
  }
}
