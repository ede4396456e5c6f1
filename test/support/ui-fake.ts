/**
 * A dashboard over made-up records, for the server's unit tests and the list benchmark only (the
 * end-to-end test uses the live one): `count` containers, the first with a running task and a diff.
 */
import type { Action, AllowRequest, ContainerRow, Dashboard, LaunchForm, LaunchJob } from "../../src/ui/model.js";
import { DashboardError } from "../../src/ui/model.js";
import type { BranchDiff } from "../../src/tasks/diff.js";

export const FAKE_PATCH = `diff --git a/src/app.ts b/src/app.ts
index 1111111..2222222 100644
--- a/src/app.ts
+++ b/src/app.ts
@@ -1,3 +1,4 @@
 // the app
-const greeting = "hello";
+const greeting = "hello, world";
+export function greet(): string { return greeting; }
 console.log(greeting);
`;

export interface FakeDashboard extends Dashboard {
  actions: { name: string; action: Action | "task"; force?: boolean }[];
  launches: LaunchForm[];
  allows: { name: string; request: AllowRequest }[];
}

export function fakeDashboard(count: number, now = new Date()): FakeDashboard {
  const agents = ["claude", "codex", "copilot", "gemini"];
  const rows: ContainerRow[] = Array.from({ length: count }, (_, i) => {
    const agent = agents[i % agents.length]!;
    const started = new Date(now.getTime() - (i + 1) * 60_000).toISOString();
    return {
      name: `${agent}-repo-${i}`,
      agent,
      repo: `repo-${i % 3}`,
      branch: `${agent}/feature-${i}`,
      state: i % 5 === 4 ? "exited" : "running",
      createdAt: started,
      task: { id: 1, state: i === 0 ? "running" : i % 4 === 3 ? "failed" : "done", prompt: `task ${i}`, startedAt: started, ...(i === 0 ? {} : { endedAt: now.toISOString() }) },
      ahead: i % 3,
      ...(i % 2 ? { egress: { mode: "allowlist", blocked: i % 4 } } : {}),
    };
  });
  const diff: BranchDiff = { base: "a".repeat(40), head: "b".repeat(40), files: [{ path: "src/app.ts", added: 2, removed: 1, status: "M" }], hostRun: [], patch: FAKE_PATCH };
  const actions: FakeDashboard["actions"] = [];
  const launches: LaunchForm[] = [];
  const allows: FakeDashboard["allows"] = [];
  const known = (name: string) => {
    if (!rows.some((row) => row.name === name)) throw new DashboardError(`no launched container named ${name}`, undefined, 404);
  };
  return {
    actions,
    launches,
    allows,
    list: async () => rows,
    transcript: async (name, offset) => {
      known(name);
      const text = "working…\n".slice(offset);
      return { text, offset, next: offset + text.length, more: false };
    },
    diff: async (name) => (known(name), diff),
    egress: async (name) => (known(name), { mode: "open", connections: [], blocked: [] }),
    act: async (name, action, { force }) => {
      known(name);
      actions.push({ name, action, ...(force ? { force } : {}) });
      return { message: `${action} ${name}` };
    },
    task: async (name) => {
      known(name);
      actions.push({ name, action: "task" });
      return { message: `${name}: task 2 running` };
    },
    allow: async (name, request) => {
      known(name);
      allows.push({ name, request });
      return { message: `${name}: now allowed: ${request.host}` };
    },
    launch: (form): LaunchJob => {
      launches.push(form);
      return { id: launches.length, args: ["launch", "--", form.source], state: "running", output: "" };
    },
    jobs: () => [],
  };
}
