/** One line of the enforcer's log (its stdout, read back through `docker logs`): one connection, never a secret. */
export interface Connection {
  time: string;
  kind: "connect" | "http";
  host: string;
  port: number;
  verdict: "allowed" | "blocked" | "failed";
  reason?: string;
  address?: string;
  up: number;
  down: number;
  ms: number;
  /** The variables whose secret the credential broker put into requests on this connection (never a value). */
  injected?: string[];
}
