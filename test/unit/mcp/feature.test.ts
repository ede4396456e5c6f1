import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { HOOKS_ROOT } from "../../../src/features/feature.js";
import { mcpOptions, renderMcpFeature, renderMcpFeatureMetadata, renderMcpFeatureTests, renderMcpInstallScript } from "../../../src/features/mcp-feature.js";
import { shellLib } from "../../../src/features/shell-lib.js";
import { FEATURE_OPTIONS_PATH, LAUNCHER_PATH, MCP_FEATURE_DIR, MCP_STATE_DIR } from "../../../src/mcp/container.js";
import { featureSchemaErrors } from "../../support/official-schemas.js";

function checkSource(value: string): number {
  const spec = mcpOptions().find((option) => option.name === "source")!;
  const script = `FEATURE_ID=mcp\n${shellLib()}\ncheck_option "$1" "$2" "$3" "$4"`;
  return spawnSync("bash", ["-c", script, "bash", "source", value, spec.pattern, spec.expected], { encoding: "utf8" }).status ?? -1;
}

describe("the mcp Feature", () => {
  const metadata = renderMcpFeatureMetadata();

  it("has metadata valid against the official Feature schema", () => {
    expect(featureSchemaErrors(metadata)).toEqual([]);
  });

  it("runs its hook at create and at every start, and names no registry Feature the CLI would have to fetch", () => {
    expect(metadata).not.toHaveProperty("installsAfter");
    expect(metadata).not.toHaveProperty("dependsOn");
    expect(metadata.postCreateCommand).toBe(`${MCP_FEATURE_DIR}/hook post-create`);
    expect(metadata.postStartCommand).toBe(`${MCP_FEATURE_DIR}/hook post-start`);
    expect(MCP_FEATURE_DIR).toBe(`${HOOKS_ROOT}/mcp`);
  });

  it("bakes no secret and no environment into the image", () => {
    expect(metadata).not.toHaveProperty("containerEnv");
    expect(metadata).not.toHaveProperty("mounts");
    expect(JSON.stringify(metadata)).not.toMatch(/TOKEN|API_KEY|SECRET/);
  });

  it("installs the hook, the launcher, a private state folder and the baked options", () => {
    const script = renderMcpInstallScript();

    expect(script).toContain(`make_private_dir ${MCP_STATE_DIR}\n`);
    expect(script).toContain(`install_hooks "$FEATURE_DIR" ${MCP_FEATURE_DIR}\n`);
    expect(script).toContain(`install_launcher "$FEATURE_DIR" ${MCP_FEATURE_DIR}\n`);
    expect(script).toContain(`printf 'source=%s\\n' "$SOURCE" >${FEATURE_OPTIONS_PATH}\n`);
    expect(LAUNCHER_PATH).toBe(`${MCP_FEATURE_DIR}/run-server`);
    expect(spawnSync("bash", ["-n"], { input: script, encoding: "utf8" }).status).toBe(0);
  });

  it("ships both bundles, the README and an executable install.sh", () => {
    const tree = renderMcpFeature("// hook\n", "// launcher\n");

    expect([...tree.keys()].sort()).toEqual(["README.md", "devcontainer-feature.json", "hooks/hook.js", "hooks/run-server.js", "install.sh"]);
    expect(tree.get("install.sh")?.mode).toBe(0o755);
    expect(tree.get("hooks/run-server.js")?.content).toBe("// launcher\n");
    expect(tree.get("README.md")?.content).toContain("string form: the object form drops readonly");
  });

  it.each([".devcontainer/mcp.toml", "config.toml", "/srv/mcp/servers.toml"])("accepts the source %s", (value) => {
    expect(checkSource(value)).toBe(0);
  });

  it.each(["mcp.json", "x.toml; rm -rf /", "$(id).toml", 'a".toml', "a b.toml"])("rejects the source %s before it reaches a file", (value) => {
    expect(checkSource(value)).toBe(1);
  });

  it("tests the hook and the launcher for real in its Feature test", () => {
    const tests = renderMcpFeatureTests();

    expect([...tests.keys()]).toEqual(["mcp/test.sh", "mcp/duplicate.sh", "mcp/custom_source.sh", "mcp/scenarios.json"]);
    expect(tests.get("mcp/custom_source.sh")?.content).toContain('cat >"$work/repo/tools/servers.toml"');
    expect(tests.get("mcp/test.sh")?.content).toContain(`${LAUNCHER_PATH} probe --`);
  });
});
