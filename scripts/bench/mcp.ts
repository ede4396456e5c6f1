/**
 * Issue 4 measurements, in a container of the local Node.js image with the mcp Feature's bundles laid out
 * as install.sh lays them out: what the launcher adds to a local MCP server's start (a trivial
 * `node -e ""` run directly, then through run-server), and how long the hook takes to render one source
 * for four agents (the cost added to every container start).
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AGENT_IDS, agent, configEnvValue } from "../../src/catalogue/agents.js";
import { LAUNCHER_PATH, MCP_FEATURE_DIR, MCP_STATE_DIR, SECRETS_STAGING_PATH } from "../../src/mcp/container.js";
import { packagePath } from "../../src/paths.js";
import { NODE_IMAGE, ensureNodeImage } from "../../test/support/docker.js";
import { ensureNodeMirror } from "../../test/support/node-mirror.js";
import { median, timed } from "./support.js";

type Report = (name: string, value: number, unit: string, note?: string) => void;

const RUNS = 20;

const SOURCE = `[mcp_servers.bench]
command = "node"
args = ["-e", ""]
env = { API_TOKEN = "\${API_TOKEN}" }

[mcp_servers.docs]
url = "https://mcp.example.com/mcp"
`;

/** Fake agent CLIs on PATH with their relocation variables, a workspace with the source, and timing loops. */
function script(): string {
  const agents = AGENT_IDS.map(agent);
  const fakes = agents.map((record) => `printf '#!/bin/sh\\n' >/tmp/bin/${record.binary}; chmod +x /tmp/bin/${record.binary}`);
  const env = agents.map((record) => `export ${record.configEnv}=${configEnvValue(record)}`);
  return `set -e
mkdir -p /tmp/bin /work/.devcontainer ${MCP_STATE_DIR} "$(dirname ${SECRETS_STAGING_PATH})"
${fakes.join("\n")}
${env.join("\n")}
export PATH="/tmp/bin:$PATH"
printf 'exec %s ${MCP_FEATURE_DIR}/hook.js mcp "$@"\\n' "$(command -v node)" >/tmp/bin/hook
printf 'exec %s ${MCP_FEATURE_DIR}/run-server.js "$@"\\n' "$(command -v node)" >/tmp/bin/run-server
chmod +x /tmp/bin/hook /tmp/bin/run-server
cp ${MCP_FEATURE_DIR}/mcp.toml /work/.devcontainer/mcp.toml
echo API_TOKEN=bench >${SECRETS_STAGING_PATH}
cd /work
micros() { s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000 )); }
for i in $(seq ${RUNS}); do echo "hook $(micros hook post-start)"; done
for i in $(seq ${RUNS}); do echo "direct $(micros node -e '')"; done
for i in $(seq ${RUNS}); do echo "launcher $(micros run-server bench -- node -e '')"; done
`;
}

export async function run(report: Report): Promise<void> {
  ensureNodeImage(ensureNodeMirror().tarball);
  const dir = mkdtempSync(join(tmpdir(), "bench-mcp-"));
  try {
    // .js files inside this ESM package would load as ESM; as installed they sit in a plain folder.
    copyFileSync(packagePath("features", "src", "mcp", "hooks", "hook.js"), join(dir, "hook.js"));
    copyFileSync(packagePath("features", "src", "mcp", "hooks", "run-server.js"), join(dir, "run-server.js"));
    writeFileSync(join(dir, "mcp.toml"), SOURCE);
    const { stdout } = timed("docker", ["run", "--rm", "-v", `${dir}:${MCP_FEATURE_DIR}:ro`, NODE_IMAGE, "bash", "-c", script()]);
    const times = (kind: string) => stdout.split("\n").flatMap((line) => (line.startsWith(`${kind} `) ? [Number(line.split(" ")[1]) / 1000] : []));
    const direct = median(times("direct"));
    report(`hook render for 4 agents, median of ${RUNS}`, median(times("hook")), "ms", "added to every container start");
    report(`local server start, direct, median of ${RUNS}`, direct, "ms", "node -e ''");
    report(`local server start through ${LAUNCHER_PATH.split("/").pop()}, median of ${RUNS}`, median(times("launcher")), "ms", `+${Math.round(median(times("launcher")) - direct)} ms over direct`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
