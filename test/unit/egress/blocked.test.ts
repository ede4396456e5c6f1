/** Blocked attempts as `egress` shows them: grouped by host with their ports, and no longer once allowed. */
import { describe, expect, it } from "vitest";
import { blockedHosts, formatBlocked } from "../../../src/egress/blocked.js";
import type { Connection } from "../../../src/egress/connection.js";
import { parseHostRules } from "../../../src/egress/policy.js";

function line(time: string, host: string, port: number, verdict: Connection["verdict"], extra: Record<string, unknown> = {}): Connection {
  return { time, kind: "connect", host, port, verdict, up: 0, down: 0, ms: 1, ...extra } as Connection;
}

describe("blocked hosts", () => {
  it("groups attempts by host, with each port and its count", () => {
    const list = [line("t1", "example.com", 443, "blocked"), line("t2", "example.com", 80, "blocked"), line("t3", "example.com", 443, "blocked"), line("t4", "db.test", 5432, "blocked")];
    const blocked = blockedHosts(list, "claude-app");
    expect(blocked.map(formatBlocked)).toEqual(["db.test :5432", "example.com :443 ×2, :80"]);
    expect(blocked[1]).toMatchObject({ attempts: 3, last: "t3", entries: ["example.com"], allow: "create-agent-devcontainer egress allow claude-app example.com" });
    expect(blocked[0]!.allow).toBe("create-agent-devcontainer egress allow claude-app db.test:5432");
  });

  it("counts a connection once however many lines it has (open and close), ignoring fields it does not know", () => {
    const list = [
      line("t1", "example.com", 443, "blocked", { id: "r.1", event: "open", state: "open" }),
      line("t1", "example.com", 443, "blocked", { id: "r.1", event: "close", state: "closed", extra: { x: 1 } }),
      line("t2", "example.com", 443, "blocked", { id: "r.2" }),
    ];
    expect(blockedHosts(list, "c").map(formatBlocked)).toEqual(["example.com :443 ×2"]);
  });

  it("no longer suggests a host allowed since: by egress allow's rules, or a later connection that went through", () => {
    const list = [line("t1", "example.com", 443, "blocked"), line("t2", "api.test", 443, "blocked"), line("t3", "api.test", 443, "allowed"), line("t4", "db.test", 5432, "blocked")];
    expect(blockedHosts(list, "c").map((entry) => entry.host)).toEqual(["db.test", "example.com"]);
    expect(blockedHosts(list, "c", parseHostRules(["example.com"]).rules).map((entry) => entry.host)).toEqual(["db.test"]);
    // A rule for another port does not cover it.
    expect(blockedHosts(list, "c", parseHostRules(["db.test:5433"]).rules).map((entry) => entry.host)).toEqual(["db.test", "example.com"]);
    // Blocked again after it went through (the rule was removed): suggested again.
    expect(blockedHosts([...list, line("t5", "api.test", 443, "blocked")], "c").map((entry) => entry.host)).toContain("api.test");
  });

  it("suggests nothing an allowlist cannot hold (the log's host names are the agent's words), but still lists it", () => {
    const [entry] = blockedHosts([line("t1", "bad\u001b[31mname", 443, "blocked")], "c");
    expect(entry?.host).toBe("bad\u001b[31mname");
    expect(entry).not.toHaveProperty("allow");
  });
});
