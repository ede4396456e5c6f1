/**
 * Issue 20 measurement: what the default resource limits cost an agent's work. An `npm test`-like
 * workload (a runner that writes a few hundred test modules, then loads and runs them in worker
 * processes, each test hashing, parsing JSON and allocating, plus short-lived `node` child processes as
 * test runners spawn) runs in the same Node.js image with the agent container's default limits
 * (src/limits/limits.ts) and without, alternating, as UID 1000. The workload times itself inside, so
 * container start-up is not counted. Goal: a ratio of at most 1.05.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { limitArgs, resolveLimits } from "../../src/limits/limits.js";
import { NODE_IMAGE } from "../../test/support/docker.js";
import { median, timed } from "./support.js";

type Report = (name: string, value: number, unit: string, note?: string) => void;

const ROUNDS = 5;

/** The runner: prints the milliseconds its work took. Two workers, as a test runner on a 2-CPU container. */
const WORKLOAD = String.raw`
const { fork, spawnSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
if (process.argv[2] === "worker") {
  const [dir, from, to] = process.argv.slice(3);
  for (let i = Number(from); i < Number(to); i++) require(path.join(dir, "t" + i + ".test.js"))();
  process.exit(0);
}
const started = Date.now();
const dir = fs.mkdtempSync("/tmp/suite-");
for (let i = 0; i < 400; i++) {
  fs.writeFileSync(path.join(dir, "t" + i + ".test.js"), "module.exports = () => { const rows = []; for (let j = 0; j < 2000; j++) rows.push({ id: j, name: 'row' + j, tags: ['a', 'b', String(j % 7)] }); const text = JSON.stringify(rows); if (JSON.parse(text).length !== 2000) throw new Error('bad'); let h = require('node:crypto').createHash('sha256'); for (let k = 0; k < 200; k++) h.update(text.slice(k * 50, k * 50 + 4096)); return h.digest('hex'); };\n");
}
const workers = [0, 1].map((w) => new Promise((resolve, reject) => {
  const child = fork(__filename, ["worker", dir, String(w * 200), String(w * 200 + 200)]);
  child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error("worker " + code))));
}));
Promise.all(workers).then(() => {
  for (let i = 0; i < 20; i++) if (spawnSync(process.execPath, ["-e", "require('node:assert').ok(1)"]).status !== 0) throw new Error("child");
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(Date.now() - started);
});
`;

export async function run(report: Report): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "bench-limits-"));
  writeFileSync(join(dir, "workload.cjs"), WORKLOAD, { mode: 0o644 });
  chmodSync(dir, 0o755); // read by UID 1000 inside
  const limits = limitArgs(resolveLimits({}, "agent"));
  const once = (args: readonly string[]): number =>
    Number(timed("docker", ["run", "--rm", "--user", "1000:1000", ...args, "-v", `${dir}:/bench:ro`, NODE_IMAGE, "node", "/bench/workload.cjs"]).stdout.trim());
  try {
    once([]); // warm the page cache and the image
    const limited: number[] = [];
    const free: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      limited.push(once(limits));
      free.push(once([]));
    }
    const ratio = median(limited) / median(free);
    report("npm test-like workload, default agent limits", median(limited), "ms", `${limits.join(" ")}; median of ${ROUNDS}`);
    report("npm test-like workload, no limits", median(free), "ms", `median of ${ROUNDS}`);
    report("cost of the limits (ratio)", ratio, "x", "goal <= 1.05");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
