/**
 * Exercise: reconnecting-client — Part 10, "A resilient reconnecting client".
 *
 * A long-lived TCP client for a small line protocol that keeps itself
 * connected: it notices dead connections, reconnects with capped exponential
 * backoff and jitter, subscribes again after every reconnect, and stops
 * cleanly when closed.
 *
 * Protocol (UTF-8, one message per line, each ending in "\n"):
 *   client → server:  SUB <topic>     PING
 *   server → client:  MSG <topic> <payload>     PONG
 *
 * Run `npx grade reconnecting-client` to grade this file. See README.md.
 */

export interface ReconnectOptions {
  host: string;
  port: number;
  /** First reconnect delay; it doubles after each failed attempt... */
  minDelayMs: number;
  /** ...up to this cap (jitter on top of the nominal delay is yours to choose). */
  maxDelayMs: number;
  /** While connected, send PING this often. */
  heartbeatMs: number;
  /** Nothing received for this long: the connection is dead; destroy it and reconnect. */
  deadAfterMs: number;
}

export interface ReconnectingClient {
  subscribe(topic: string): void;
  onMessage(listener: (topic: string, payload: string) => void): void;
  close(): void;
}

export function createReconnectingClient(opts: ReconnectOptions): ReconnectingClient {
  // TODO: connect at once; on every 'connect' send SUB for every topic; PING every heartbeatMs;
  // destroy a connection that has been silent for deadAfterMs; reconnect from 'close' with backoff;
  // close() stops everything.
  throw new Error('not implemented yet');
}
