import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { allowCommand, allowEntry, blockedHosts, suggestableHost } from "../../../src/egress/blocked.js";
import type { Connection } from "../../../src/egress/connection.js";

/** What a shell receives when the suggestion is pasted: its words, one per line (printf, so nothing runs). */
function pasted(command: string): string[] {
  const result = spawnSync("sh", ["-c", `set -- ${command}; printf '%s\\n' "$@"`], { encoding: "utf8" });
  expect(result.status).toBe(0);
  return result.stdout.split("\n").slice(0, -1);
}

/** A blocked host's suggestion, as `egress` and a task's model check make it. */
const suggest = (name: string, host: string, port: number) => (suggestableHost(host) ? allowCommand(name, [allowEntry(host, port)]) : undefined);

describe("allowCommand", () => {
  it("suggests a DNS name or an IP address, the web ports implied", () => {
    expect(suggest("claude-app-x", "pypi.org", 443)).toBe("create-agent-devcontainer egress allow claude-app-x pypi.org");
    expect(suggest("claude-app-x", "DB.Example.COM.", 5432)).toBe("create-agent-devcontainer egress allow claude-app-x db.example.com.:5432");
    expect(suggest("c1", "10.0.0.7", 8080)).toBe("create-agent-devcontainer egress allow c1 10.0.0.7:8080");
    expect(pasted(suggest("c1", "::1", 8080)!)).toEqual(["create-agent-devcontainer", "egress", "allow", "c1", "[::1]:8080"]);
  });

  it("shell-quotes every word: pasting it passes exactly these words", () => {
    const command = suggest("it's a $(name)", "example.com", 443)!;
    expect(command).toBe(`create-agent-devcontainer egress allow 'it'\\''s a $(name)' example.com`);
    expect(pasted(command)).toEqual(["create-agent-devcontainer", "egress", "allow", "it's a $(name)", "example.com"]);
  });

  it.for(["x;id;.example", "$(id).example", "`id`.example", "a b.example", "x\u001b]52;c;aGk=\u0007.example", "-rf.example", "a..example", "", ".", "é.example", "127.1", "0x7f.1", "10.0.0.0x1", `${"a".repeat(64)}.example`, `${"a.".repeat(127)}a`, "[::1]", "host:80"])(
    "suggests nothing for %j",
    (host) => {
      expect(suggestableHost(host)).toBe(false);
      expect(suggest("c1", host, 443)).toBeUndefined();
    },
  );

  it("leaves an unsuggestable host out of the blocked summary's command, but still lists it", () => {
    const connection = (host: string, time: string): Connection => ({ time, kind: "connect", host, port: 443, verdict: "blocked", state: "closed", up: 0, down: 0, ms: 0 });
    expect(blockedHosts([connection("x;id;.example", "t2"), connection("ok.example", "t1")], "c1")).toEqual([
      { host: "x;id;.example", ports: [{ port: 443, attempts: 1 }], attempts: 1, last: "t2", entries: ["x;id;.example"] },
      { host: "ok.example", ports: [{ port: 443, attempts: 1 }], attempts: 1, last: "t1", entries: ["ok.example"], allow: "create-agent-devcontainer egress allow c1 ok.example" },
    ]);
  });

  it("lists a blocked IPv6 address in brackets, so its entry (and the command) can be allowed", () => {
    const blocked = blockedHosts([{ time: "t1", kind: "connect", host: "::1", port: 8080, verdict: "blocked", state: "closed", up: 0, down: 0, ms: 0 }], "c1");
    expect(blocked[0]).toMatchObject({ entries: ["[::1]:8080"], allow: "create-agent-devcontainer egress allow c1 '[::1]:8080'" });
  });
});
