/** Progress from `devcontainer up --log-format json`, with lines as the CLI (0.89) really writes them. */
import { describe, expect, it } from "vitest";
import { parseLogLine } from "../../../src/launch/progress.js";

const line = (entry: object): string => JSON.stringify({ level: 2, timestamp: 1795764339071, ...entry });

describe("parseLogLine", () => {
  it("reports the long steps: configuration, image build, container start", () => {
    expect(parseLogLine(line({ type: "start", text: "Resolving Remote" })).stage).toBe("reading the configuration");
    expect(parseLogLine(line({ type: "start", text: "Run: docker build -t dev_container_feature_content_temp -f /tmp/x ." })).stage).toBe(
      "building the image (cached after the first launch)",
    );
    expect(parseLogLine(line({ type: "start", text: "Starting container" })).stage).toBe("starting the container");
    expect(parseLogLine(line({ type: "start", text: "Run: docker ps -q -a --filter label=x" })).stage).toBeUndefined();
  });

  it("names lifecycle hooks, ours by Feature and phase", () => {
    const ours = { type: "progress", name: "Running onCreateCommand...", status: "running", stepDetail: "/usr/local/share/agent-devcontainer/workspace/hook on-create" };
    expect(parseLogLine(line(ours)).stage).toBe("onCreateCommand: workspace on-create");
    expect(parseLogLine(line({ ...ours, name: "Running postStartCommand...", stepDetail: "echo hi" })).stage).toBe("postStartCommand: echo hi");
    expect(parseLogLine(line({ ...ours, status: "succeeded" })).stage).toBeUndefined();
  });

  it("keeps a hook's own failure message for the error line", () => {
    const raw = line({ type: "raw", text: '[agent-devcontainer] workspace on-create: step "clone" failed: fatal: nope\n' });
    expect(parseLogLine(raw)).toEqual({ text: '[agent-devcontainer] workspace on-create: step "clone" failed: fatal: nope\n', hookFailure: '[agent-devcontainer] workspace on-create: step "clone" failed: fatal: nope' });
  });

  it("writes every entry to the log as text, and passes through what is not JSON", () => {
    expect(parseLogLine(line({ type: "text", text: "hello" })).text).toBe("[2026-11-27T07:25:39.071Z] hello\n");
    expect(parseLogLine(line({ type: "stop", text: "Starting container", startTimestamp: 1795764338071 })).text).toBe(
      "[2026-11-27T07:25:39.071Z] Stop (1000 ms): Starting container\n",
    );
    expect(parseLogLine("plain text")).toEqual({ text: "plain text\n" });
  });
});
