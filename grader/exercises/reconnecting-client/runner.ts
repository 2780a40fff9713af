/**
 * Runs inside the learner's sandbox: creates one reconnecting client with the
 * scenario's options, subscribes the first topics at once, reports every
 * message its listener gets, and follows the grader's commands on stdin
 * (subscribe, close). After close() it stops reading stdin and holds nothing:
 * the process lives exactly as long as the learner's sockets and timers do.
 */
import { config, describeError, emit } from '../../../harness/runner-kit.ts';
import { learnerFunction, reportCrashes } from '../../kit/runner.ts';
import { createInterface } from 'node:readline';

export interface RunnerConfig {
  host: string;
  port: number;
  minDelayMs: number;
  maxDelayMs: number;
  heartbeatMs: number;
  deadAfterMs: number;
  /** Subscribed right after the client is created, before it can have connected. */
  topics: string[];
}

interface Client {
  subscribe(topic: string): void;
  onMessage(listener: (topic: string, payload: string) => void): void;
  close(): void;
}

const cfg = config<RunnerConfig>();

async function main(): Promise<void> {
  const create = await learnerFunction<(opts: Record<string, unknown>) => Client>('createReconnectingClient');
  if (!create) return;
  const { host, port, minDelayMs, maxDelayMs, heartbeatMs, deadAfterMs } = cfg;
  let client: Client;
  try {
    client = create({ host, port, minDelayMs, maxDelayMs, heartbeatMs, deadAfterMs });
    let n = 0;
    client.onMessage((topic, payload) => {
      if (n++ < 1000) emit('message', { topic: String(topic).slice(0, 200), payload: String(payload).slice(0, 500) });
    });
    for (const t of cfg.topics) client.subscribe(t);
    emit('created');
  } catch (err) {
    emit('threw', { error: describeError(err) });
    return;
  }
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    let c: { cmd?: string; topic?: string };
    try {
      c = JSON.parse(line);
    } catch {
      return;
    }
    try {
      if (c.cmd === 'subscribe') {
        emit('subscribing', { topic: c.topic });
        client.subscribe(String(c.topic));
      } else if (c.cmd === 'close') {
        rl.close();
        process.stdin.destroy();
        emit('closing');
        client.close();
        emit('closed');
      }
    } catch (err) {
      emit('threw', { cmd: c.cmd, error: describeError(err) });
    }
  });
}

reportCrashes();
void main();
