/**
 * The enforcer's log (its stdout, read back through `docker logs`): two JSON lines per connection, never a
 * secret. The `open` line is written when the verdict is known, so a tunnel the agent keeps open shows as
 * open; the `close` line repeats it with the bytes and the duration. Lines with the same `id` are one
 * connection; a line without `event` (an enforcer from before this change) is a closed connection.
 */
export interface LogLine {
  id?: string;
  event?: "open" | "close";
  time: string;
  kind: "connect" | "http";
  host: string;
  port: number;
  verdict: "allowed" | "blocked" | "failed";
  reason?: string;
  address?: string;
  /** Bytes and milliseconds: on the close line only. */
  up?: number;
  down?: number;
  ms?: number;
  /** The variables whose secret the credential broker put into requests on this connection (never a value). */
  injected?: string[];
}

/** One connection as `egress` and the page show it: open until its close line arrives. */
export interface Connection extends Omit<LogLine, "event" | "up" | "down" | "ms"> {
  state: "open" | "closed";
  up: number;
  down: number;
  ms: number;
}
