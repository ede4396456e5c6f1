/**
 * The scaffolder's output proven by its real consumers: the devcontainer CLI builds and starts a container
 * for every agent on the minimal local base image, and we check, inside, what a user relies on.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AGENT_IDS, agent, configDir, configEnvValue, configRoot } from "../../src/index.js";
import { LABELS } from "../../src/labels.js";
import { exec, execOk, inspect, readConfiguration, remove, up, type Container } from "../support/devcontainer.js";
import { cli, fixtureRepo, testBedFlags } from "../support/scaffold.js";

describe.skipIf(!inject("docker"))("a scaffolded repository, brought up by the real devcontainer CLI", () => {
  let repo: string;
  const containers = new Map<string, Container>();

  beforeAll(async () => {
    repo = fixtureRepo();
    cli([repo, "--yes", ...testBedFlags()]);
    // One container per agent, started one after another: the base layers are shared by Docker's cache.
    for (const id of AGENT_IDS) {
      containers.set(id, await up(repo, `${repo}/.devcontainer/${id}/devcontainer.json`));
    }
  });

  afterAll(() => {
    for (const container of containers.values()) remove(container);
  });

  it("devcontainer read-configuration accepts every generated config", () => {
    for (const id of AGENT_IDS) {
      const read = readConfiguration(repo, `${repo}/.devcontainer/${id}/devcontainer.json`) as { configuration: { remoteUser: string } };
      expect(read.configuration.remoteUser).toBe("agent");
    }
  });

  describe.each(AGENT_IDS)("%s", (id) => {
    const record = agent(id);
    const container = () => containers.get(id)!;

    it("runs the remote user as UID 1000, not root", async () => {
      expect(container().up.remoteUser).toBe("agent");
      expect(await execOk(container(), ["id", "-u"])).toBe("1000");
      // PID 1 (the container's own process) is unprivileged too.
      expect(inspect(container()).Config).toMatchObject({ User: "agent" });
    });

    it("sets no_new_privs and leaves the user no effective capabilities", async () => {
      const status = await execOk(container(), ["cat", "/proc/self/status"]);
      expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
      expect(status).toMatch(/^CapEff:\s+0+$/m);
      const hostConfig = inspect(container()).HostConfig as { SecurityOpt: string[]; CapAdd: string[] | null; Privileged: boolean };
      expect(hostConfig.SecurityOpt).toContain("no-new-privileges:true");
      expect(hostConfig.CapAdd ?? []).toEqual([]);
      expect(hostConfig.Privileged).toBe(false);
    });

    it("carries labels naming the agent and the repository", () => {
      const labels = (inspect(container()).Config as { Labels: Record<string, string> }).Labels;
      expect(labels[LABELS.agent]).toBe(id);
      expect(labels[LABELS.repo]).toBe("fixture-repo");
    });

    it(`runs ${record.binary} --version as the remote user`, async () => {
      const result = await exec(container(), [record.binary, "--version"]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toMatch(/\d+\.\d+\.\d+/);
    });

    it("keeps the agent's config in a private folder the user can write", async () => {
      expect(await execOk(container(), ["printenv", record.configEnv])).toBe(configEnvValue(record));
      expect(await execOk(container(), ["stat", "-c", "%a %u", configRoot(record), configDir(record)])).toBe("700 1000\n700 1000".trim());
      await execOk(container(), ["sh", "-c", `touch ${configDir(record)}/probe && rm ${configDir(record)}/probe`]);
    });

    it("shows the hook's report in the creation log", () => {
      expect(container().up.log).toMatch(new RegExp(`\\[agent-devcontainer\\] ${id}: .*\\d+\\.\\d+.*config ${configDir(record)}`));
    });

    it("wrote nothing as root into the user's home", async () => {
      const rootOwned = await execOk(container(), ["find", "/home/agent", "-not", "-user", "agent"]);
      expect(rootOwned).toBe("");
    });
  });
});
