import { describe, expect, it } from "vitest";
import { agent } from "../../../src/catalogue/agents.js";
import type { ScaffoldOptions } from "../../../src/generated/scaffold-options.js";
import { renderLaunchTree } from "../../../src/launch/render.js";
import { renderAgentConfig } from "../../../src/render/devcontainer-json.js";
import { egressPart, egressTree } from "../../../src/render/parts/egress.js";
import { renderScaffold } from "../../../src/render/scaffold.js";
import type { Tree } from "../../../src/core/tree.js";

const options: ScaffoldOptions = {
  agents: ["codex"],
  baseImage: "debian:trixie-slim",
  user: "agent",
  featureSource: "ghcr",
  featureOwner: "create-agent-devcontainer",
  repoName: "my-repo",
  egress: "allowlist",
  registries: ["npm"],
  allowHosts: ["internal.example:8443"],
};

const assets: Tree = new Map([
  ["egress/egress.sh", { content: "#!/bin/sh\n# host script\n" }],
  ["egress/proxy.cjs", { content: "// enforcer\n" }],
]);

describe("egressPart", () => {
  it("puts the container on its own network behind the enforcer, with the proxy variables and no IPv6", () => {
    const part = egressPart(agent("codex"), options);
    expect(part.runArgs).toEqual([
      "--network=cadc-egress-${devcontainerId}",
      "--sysctl=net.ipv6.conf.all.disable_ipv6=1",
      "--label=io.github.create-agent-devcontainer.egress-mode=allowlist",
      "--label=io.github.create-agent-devcontainer.egress=${devcontainerId}",
    ]);
    expect(part.containerEnv).toMatchObject({ HTTPS_PROXY: "http://egress:3128", http_proxy: "http://egress:3128", NO_PROXY: "localhost,127.0.0.1,::1" });
  });

  it("starts the enforcer from the host script as an argv array, with the mode, base image, policy file and presets", () => {
    const command = (egressPart(agent("codex"), options).initializeCommand as Record<string, string[]>).egress!;
    expect(command.slice(0, 7)).toEqual(["/bin/sh", ".devcontainer/host/egress.sh", "up", "${devcontainerId}", "allowlist", "debian:trixie-slim", ".devcontainer/egress.toml"]);
    expect(command).toContain("api.openai.com");
    expect(command).toContain("registry.npmjs.org");
    expect(command.at(-1)).toBe("internal.example:8443");
    // The script text is never inlined: devcontainer.json would substitute its ${…}.
    expect(command.join(" ")).not.toMatch(/\$\{(?!devcontainerId\})/);
  });

  it("tells the host step a launched container's name (for the enforcer's refusals); a scaffolded config has none", () => {
    const host = { gitDir: "/r/.git", volumeSuffix: "codex-app", inputDir: "/s/input", hostDir: "/s", loginDir: "/l", containerName: "codex-app" };
    const command = (egressPart(agent("codex"), options, host).initializeCommand as Record<string, string[]>).egress!;
    expect(command.slice(command.indexOf("--name"), command.indexOf("--name") + 2)).toEqual(["--name", "codex-app"]);
    expect((egressPart(agent("codex"), options).initializeCommand as Record<string, string[]>).egress).not.toContain("--name");
  });

  it("renders log mode the same way and open mode as a label only; no option renders nothing", () => {
    expect(egressPart(agent("codex"), { ...options, egress: "log" }).runArgs).toContain("--label=io.github.create-agent-devcontainer.egress-mode=log");
    expect(egressPart(agent("codex"), { ...options, egress: "open" })).toEqual({ runArgs: ["--label=io.github.create-agent-devcontainer.egress-mode=open"] });
    const { egress: _, ...without } = options;
    expect(egressPart(agent("codex"), without)).toEqual({});
  });

  it("merges with every other part of the config", () => {
    const config = renderAgentConfig(agent("codex"), options);
    expect(Object.keys(config.initializeCommand as object)).toContain("egress");
    expect(config.runArgs).toContain("--network=cadc-egress-${devcontainerId}");
  });
});

describe("egress files", () => {
  it("scaffolds the host script, the enforcer and the policy starter (written once)", () => {
    const tree = renderScaffold(options, new Map(), { egressAssets: assets });
    expect(tree.get(".devcontainer/host/egress.sh")?.content).toBe("#!/bin/sh\n# host script\n");
    expect(tree.get(".devcontainer/host/egress-proxy.cjs")?.content).toBe("// enforcer\n");
    expect(tree.get(".devcontainer/egress.toml")?.once).toBe(true);
    expect(egressTree({ egress: "open" }, undefined).size).toBe(0);
    expect(() => egressTree({ egress: "allowlist" }, undefined)).toThrow(/assets/);
  });

  it("launch puts them in the state folder, with the repository's own policy file", () => {
    const tree = renderLaunchTree(
      agent("codex"),
      { ...options, workspace: "clone" },
      { gitDir: "/repo/.git", volumeSuffix: "v", inputDir: "/state/input", hostDir: "/state", loginDir: "/auth" },
      { name: "codex-my-repo-x", branch: "codex/x", stateDir: "/state" },
      new Map(),
      { assets, policy: 'allow = ["team.example"]\n' },
    );
    expect([...tree.keys()].sort()).toEqual([
      ".devcontainer/codex/devcontainer.json",
      ".devcontainer/egress.toml",
      ".devcontainer/host/egress-proxy.cjs",
      ".devcontainer/host/egress.sh",
      ".devcontainer/host/stage-login.sh",
    ]);
    expect(tree.get(".devcontainer/egress.toml")?.content).toBe('allow = ["team.example"]\n');
  });

  it("renders the whole codex config deliberately", async () => {
    const tree = renderScaffold(options, new Map(), { egressAssets: assets });
    await expect(tree.get(".devcontainer/codex/devcontainer.json")?.content).toMatchFileSnapshot("../__snapshots__/egress-codex-allowlist.jsonc");
  });
});
