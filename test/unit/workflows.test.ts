import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AGENT_IDS, agent } from "../../src/catalogue/agents.js";
import type { ScaffoldOptions } from "../../src/generated/scaffold-options.js";
import { packagePath } from "../../src/paths.js";
import { renderScaffold } from "../../src/render/scaffold.js";
import { agentWorkflowPath, renderAgentWorkflow, tokenSecrets } from "../../src/workflows/agent-ci.js";
import { HEADLESS } from "../../src/workflows/headless.js";
import { tempDir } from "../support/temp-dir.js";

interface Job {
  needs?: string | string[];
  env?: Record<string, string>;
  steps: { uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> }[];
}
const committed = (name: string) => readFileSync(packagePath(".github", "workflows", name), "utf8");
const jobs = (text: string) => (parse(text) as { jobs: Record<string, Job> }).jobs;

function problems(text: string): unknown[] {
  return validateWorkflow(text).errors;
}

describe("this repository's workflows", () => {
  it.each(["test.yml", "release.yml"])("%s is a valid workflow (action-validator, GitHub's schema)", (name) => {
    expect(problems(committed(name))).toEqual([]);
  });

  it("pin every action by a major version", () => {
    for (const name of ["test.yml", "release.yml"]) {
      const uses = Object.values(jobs(committed(name))).flatMap((job) => job.steps.flatMap((step) => (step.uses ? [step.uses] : [])));
      expect(uses.length).toBeGreaterThan(0);
      for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+@v\d+$/);
    }
  });

  it("test.yml runs the drift check, the unit tests and the e2e tests on a pulled base image", () => {
    const all = Object.values(jobs(committed("test.yml")));
    const runs = all.flatMap((job) => job.steps.map((step) => step.run ?? ""));
    expect(runs).toEqual(expect.arrayContaining(["npm ci", "npm run check:generated", "npm run test:unit", "npx vitest run --project e2e"]));
    expect(all.find((job) => job.env?.AGENT_DC_TEST_BASE_IMAGE)?.steps.map((s) => s.run)).toContain(`docker pull ${all.find((job) => job.env)!.env!.AGENT_DC_TEST_BASE_IMAGE}`);
  });

  it("release.yml publishes Features and Templates, every image FROM the new base by digest with provenance, then npm", () => {
    const release = jobs(committed("release.yml"));
    const runs = Object.values(release).flatMap((job) => job.steps.map((step) => step.run ?? ""));
    expect(runs.some((run) => run.startsWith("npx devcontainer features publish features/src --registry ghcr.io"))).toBe(true);
    expect(runs.some((run) => run.startsWith("npx devcontainer templates publish templates/src --registry ghcr.io"))).toBe(true);
    const images = (parse(committed("release.yml")) as { jobs: { images: { strategy: { matrix: { include: { name: string }[] } } } } }).jobs.images;
    expect(images.strategy.matrix.include.map((entry) => entry.name)).toEqual(["agents", ...AGENT_IDS]);
    const build = release.images!.steps.find((step) => step.uses?.startsWith("docker/build-push-action"))!;
    expect(build.with).toMatchObject({ provenance: "mode=max", push: true, context: "features/src" });
    expect(String(build.with!["build-args"])).toMatch(/images\/base@\$\{\{ needs\.base-image\.outputs\.digest \}\}$/);
    expect(release.images!.needs).toBe("base-image");
    expect(release.npm!.needs).toEqual(["features-and-templates", "images"]);
    expect(runs).toContain("npm publish --provenance --access public");
  });
});

describe("the agent workflow --ci-workflow writes", () => {
  it.each(AGENT_IDS)("%s: a valid workflow, started by hand, with read-only contents", (id) => {
    const text = renderAgentWorkflow(agent(id));
    expect(problems(text)).toEqual([]);
    const workflow = parse(text) as { on: Record<string, unknown>; permissions: Record<string, string> };
    expect(Object.keys(workflow.on)).toEqual(["workflow_dispatch"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
  });

  it("never puts the prompt or a secret into the script text", () => {
    for (const id of AGENT_IDS) {
      for (const step of jobs(renderAgentWorkflow(agent(id))).agent!.steps) {
        expect(step.run ?? "").not.toContain("${{");
      }
      expect(tokenSecrets(agent(id)).every((name) => !name.startsWith("GITHUB_"))).toBe(true);
    }
  });

  it("runs the agent in its container with the prompt intact and only the tokens that are set", (context) => {
    const dir = tempDir(context.onTestFinished);
    // A stand-in for npx that prints the arguments it got, one per line.
    writeFileSync(join(dir, "npx"), '#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done\n');
    chmodSync(join(dir, "npx"), 0o755);
    const run = jobs(renderAgentWorkflow(agent("claude"))).agent!.steps.at(-1)!.run!;
    const prompt = `fix "it"; $(touch ${dir}/pwned) \`id\``;
    const result = spawnSync("bash", ["-e", "-c", run], {
      encoding: "utf8",
      env: { PATH: `${dir}:${process.env.PATH}`, PROMPT: prompt, CLAUDE_CODE_OAUTH_TOKEN: "tok-123", ANTHROPIC_API_KEY: "" },
    });
    expect(result.status).toBe(0);
    const args = result.stdout.trim().split("\n");
    expect(args.slice(0, 2)).toEqual(["--yes", "@devcontainers/cli@0.89"]);
    expect(args).toEqual(expect.arrayContaining(["exec", "--config", ".devcontainer/claude/devcontainer.json", "--remote-env", "CLAUDE_CODE_OAUTH_TOKEN=tok-123"]));
    expect(args.join(" ")).not.toContain("ANTHROPIC_API_KEY");
    expect(args.slice(-4)).toEqual(["claude", "-p", prompt, "--dangerously-skip-permissions"]);
    expect(spawnSync("test", ["-e", join(dir, "pwned")]).status).not.toBe(0);
  });

  it("each agent's headless command is its own binary", () => {
    // After an optional `env NAME=value…` prefix.
    for (const id of AGENT_IDS) expect(HEADLESS[id].find((word) => word !== "env" && !/^[A-Z_]+=/.test(word))).toBe(agent(id).binary);
  });

  it("is written only when asked, one per agent", () => {
    const options: ScaffoldOptions = { agents: ["claude", "gemini"], baseImage: "debian:trixie-slim", user: "agent", featureSource: "ghcr", featureOwner: "o", repoName: "r" };
    const without = renderScaffold(options, new Map());
    const withWorkflows = renderScaffold({ ...options, ciWorkflow: true }, new Map());
    expect([...without.keys()].some((path) => path.startsWith(".github/"))).toBe(false);
    expect([...withWorkflows.keys()].filter((path) => path.startsWith(".github/"))).toEqual([
      agentWorkflowPath(agent("claude")),
      agentWorkflowPath(agent("gemini")),
    ]);
  });
});
