import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { AGENT_IDS, agent, configEnvValue, configRoot } from "../../src/catalogue/agents.js";
import { renderAgentFeature, renderAgentFeatureMetadata, renderAgentInstallScript } from "../../src/features/agent-feature.js";
import { agentOptions } from "../../src/features/options.js";
import { shellLib } from "../../src/features/shell-lib.js";
import { featureSchemaErrors } from "../support/official-schemas.js";

/** Runs the install scripts' own option check in real bash, as install.sh does. */
function checkOption(name: string, value: string): { code: number; stderr: string } {
  const spec = agentOptions("pkg").find((s) => s.name === name)!;
  const script = `FEATURE_ID=test\n${shellLib()}\ncheck_option "$1" "$2" "$3" "$4"`;
  const result = spawnSync("bash", ["-c", script, "bash", name, value, spec.pattern, spec.expected], { encoding: "utf8" });
  return { code: result.status ?? -1, stderr: result.stderr };
}

describe.each(AGENT_IDS)("the %s Feature", (id) => {
  const record = agent(id);

  it("has metadata valid against the official Feature schema", () => {
    expect(featureSchemaErrors(renderAgentFeatureMetadata(record))).toEqual([]);
  });

  it("relocates the agent's config and wires its hook into create and start", () => {
    const metadata = renderAgentFeatureMetadata(record);
    expect(metadata.containerEnv?.[record.configEnv]).toBe(configEnvValue(record));
    expect(metadata.postCreateCommand).toBe(`/usr/local/share/agent-devcontainer/${id}/hook post-create`);
    expect(metadata.postStartCommand).toBe(`/usr/local/share/agent-devcontainer/${id}/hook post-start`);
    expect(JSON.stringify(metadata)).not.toMatch(/TOKEN|API_KEY|SECRET/i);
  });

  it("renders an executable install.sh that installs the agent's own package", () => {
    const tree = renderAgentFeature(record, "// bundle\n", "// mcp module\n");
    expect(tree.get("install.sh")?.mode).toBe(0o755);
    expect(tree.get("hooks/mcp.js")?.content).toBe("// mcp module\n");
    const script = renderAgentInstallScript(record);
    expect(script.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(script).toContain("set -euo pipefail");
    expect(script).toContain(`install_npm_package ${record.npmPackage} "$VERSION" ${record.binary} ${record.configEnv}`);
    expect(script).toContain(`make_private_dir ${configRoot(record)}`);
    // Where the mcp Feature's hook looks for it (src/hooks/mcp-agents.ts).
    expect(script).toContain(`install -m 0644 "$FEATURE_DIR/hooks/mcp.js" /usr/local/share/agent-devcontainer/${id}/mcp.js`);
  });

  it("is valid bash", () => {
    const result = spawnSync("bash", ["-n"], { input: renderAgentInstallScript(record), encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});

describe("install.sh option checks", () => {
  it.each([
    ["version", "latest"],
    ["version", "2.1.329"],
    ["version", "^1.2.3"],
    ["nodeVersion", "24"],
    ["nodeVersion", "24.11.1"],
    ["nodeVersion", "none"],
    ["nodeMirror", "http://172.17.0.1:8080/dist"],
  ])("accepts %s=%s", (name, value) => {
    expect(checkOption(name, value).code).toBe(0);
  });

  it.each([
    ["version", "1.0.0; touch /tmp/pwned"],
    ["version", "$(id)"],
    ["version", "`id`"],
    ["version", "latest\"x"],
    ["nodeVersion", "lts"],
    ["nodeVersion", "24 && id"],
    ["nodeMirror", "ftp://mirror"],
    ["nodeMirror", "https://mirror/$(id)"],
    // grep checks line by line: one good line must not carry another.
    ["version", "latest\n$(touch /tmp/pwned)"],
    ["nodeVersion", "24\n"],
    ["nodeMirror", "http://mirror\n; id"],
  ])("rejects %j=%j naming the option and the value", (name, value) => {
    const result = checkOption(name, value);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`option ${name} has an invalid value '${value}'`);
  });
});
