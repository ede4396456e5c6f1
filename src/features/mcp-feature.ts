/**
 * The mcp Feature (metadata, install.sh, README, tests): MCP rendering hook, launcher, secrets staging. It
 * names no agent: each agent Feature ships its own MCP module, which the hook loads (src/hooks/mcp-agents.ts).
 */
import { HOOKS_ROOT } from "../agents/derived.js";
import { MCP_MODULE_FILE } from "../mcp/agent-module.js";
import { DEFAULT_MCP_SOURCE } from "../mcp/locate.js";
import {
  FEATURE_OPTIONS_PATH,
  LAUNCH_SPEC_PATH,
  LAUNCHER_PATH,
  MCP_FEATURE_DIR,
  MCP_STATE_DIR,
  SECRETS_STAGING_PATH,
  SOURCE_ENV,
} from "../mcp/container.js";
import type { FeatureMetadata } from "../model/feature.js";
import { shellQuote } from "../core/shell-quote.js";
import type { Tree } from "../core/tree.js";
import { hookCommand, renderFeature, renderFeatureMetadata, renderFeatureTests, renderInstallScript, testScenario, type FeatureDefinition } from "./feature.js";
import { nodeOptions, type OptionSpec } from "./options.js";
import { DEFAULT_FEATURE_OWNER, FEATURE_MAJOR, REPO_NAME } from "./refs.js";

export const MCP_FEATURE_ID = "mcp";

export function mcpOptions(): OptionSpec[] {
  return [
    {
      name: "source",
      option: {
        type: "string",
        default: DEFAULT_MCP_SOURCE,
        proposals: [DEFAULT_MCP_SOURCE],
        description: `The MCP source (TOML with [mcp_servers.<name>] tables), relative to the workspace folder or absolute. The default also finds a root config.toml with [mcp_servers]. ${SOURCE_ENV} overrides it at run time.`,
      },
      pattern: "^[A-Za-z0-9._/-]+\\.toml$",
      expected: "a path to a .toml file made of letters, digits, ., _, / and -",
    },
    ...nodeOptions(),
  ];
}

/** A source elsewhere than the default, on the test bed's Node.js image (nothing to download). */
const CUSTOM_SOURCE = "tools/servers.toml";

/**
 * The hook and the launcher, run for real with the source at `source`. No agent Feature is installed here, so
 * the hook renders the launch spec alone; an agent's scenario installs this Feature beside it and checks the
 * agent's config (src/features/feature-tests.ts).
 */
function checks(source: string): string {
  const name = source.split("/").pop() ?? source;
  return `work="$(mktemp -d)"
mkdir -p "$(dirname "$work/repo/${source}")"
cat >"$work/repo/${source}" <<'TOML'
[mcp_servers.probe]
command = "true"
env = { PROBE_TOKEN = "\${PROBE_VALUE}" }
TOML
render() { (cd "$work/repo" && ${MCP_FEATURE_DIR}/hook post-start); }
export -f render
export work

check "state dir is private" bash -c '[ "$(stat -c %a ${MCP_STATE_DIR})" = 700 ]'
check "no source: nothing to render" bash -c 'cd "$work" && ${MCP_FEATURE_DIR}/hook post-start | grep -q "no MCP source"'
check "no agent Feature: renders the launch spec alone" bash -c 'render | grep -q "no installed agent" && grep -q PROBE_TOKEN ${LAUNCH_SPEC_PATH}'
check "launch spec is private" bash -c '[ "$(stat -c %a ${LAUNCH_SPEC_PATH})" = 600 ]'
check "launcher resolves the env and execs" bash -c '[ "$(PROBE_VALUE=sekret ${LAUNCHER_PATH} probe -- sh -c "printf %s \\"\\$PROBE_TOKEN\\"")" = sekret ]'
check "launcher refuses an unknown server" bash -c '! ${LAUNCHER_PATH} nope -- true 2>/dev/null'
check "bad source fails naming line and column" bash -c 'printf "[mcp_servers\\n" >"$work/repo/${source}"; ! render 2>"$work/err" && grep -q "${name}:1:" "$work/err"'`;
}

export const MCP_FEATURE: FeatureDefinition = {
  id: MCP_FEATURE_ID,
  version: "1.1.2",
  name: "MCP servers for every agent",
  description:
    "Renders one MCP source (TOML) into the native MCP config of every installed agent at create and start, and starts local servers through a launcher that hands them secrets from a read-only env file.",
  keywords: ["ai", "agent", "mcp"],
  options: mcpOptions(),
  metadata: {
    // No installsAfter on the agent Features: the devcontainer CLI fetches every id listed there from its
    // registry, which breaks vendored and offline configs. Order does not matter anyway: the hook creates
    // missing config folders itself, an agent Feature keeps the Node.js this one installed, and the start
    // hook (after every create hook) renders again once all agents and the workspace are in place.
    postCreateCommand: hookCommand(MCP_FEATURE_ID, "post-create"),
    postStartCommand: hookCommand(MCP_FEATURE_ID, "post-start"),
  },
  source: "src/features/mcp-feature.ts",
  install: {
    functions: `# The launcher agents start local MCP servers through, pinned to the node found now like the hook.
install_launcher() { # feature-dir target-dir
  install -m 0644 "$1/hooks/run-server.js" "$2/run-server.js"
  printf '#!/bin/sh\\nexec %s %s/run-server.js "$@"\\n' "$(command -v node)" "$2" >"$2/run-server.tmp"
  chmod 0755 "$2/run-server.tmp"
  mv "$2/run-server.tmp" "$2/run-server"
}`,
    steps: `require_root_on_debian
trust_system_cas
resolve_agent_user
install_node "$NODE_VERSION" "$NODE_MIRROR"
make_private_dir ${shellQuote(MCP_STATE_DIR)}
install_hooks "$FEATURE_DIR" ${shellQuote(MCP_FEATURE_DIR)}
install_launcher "$FEATURE_DIR" ${shellQuote(MCP_FEATURE_DIR)}
# Read by the hook at every start (the value passed check_option: no quotes, blanks or $).
printf 'source=%s\\n' "$SOURCE" >${shellQuote(FEATURE_OPTIONS_PATH)}
clean_apt
printf 'MCP rendering ready for %s: source %s, launcher %s\\n' "$AGENT_USER" "$SOURCE" ${shellQuote(LAUNCHER_PATH)}
`,
  },
  readme: {
    usage: `"features": {
  "ghcr.io/${DEFAULT_FEATURE_OWNER}/${REPO_NAME}/claude:${FEATURE_MAJOR}": {},
  "ghcr.io/${DEFAULT_FEATURE_OWNER}/${REPO_NAME}/${MCP_FEATURE_ID}:${FEATURE_MAJOR}": {}
},
// The host's secrets file, read-only (the string form: the object form drops readonly).
"mounts": ["type=bind,source=\${localEnv:HOME}\${localEnv:USERPROFILE}/.config/agent-devcontainer/mcp-secrets.env,target=${SECRETS_STAGING_PATH},readonly"]`,
    notes: `\`npx create-agent-devcontainer\` writes this for you, with an \`initializeCommand\` that creates an empty
secrets file (mode 0600) when there is none, because Docker refuses to bind-mount a missing file. That
command needs a POSIX \`sh\` on the host (Linux, macOS, WSL). The container runs as UID 1000: on a Linux
host whose user has another UID, let UID 1000 read the file (\`setfacl -m u:1000:r <file>\`); the hook and
the launcher report an unreadable file with its owner and mode. A file edited in place is read at the
next server start; one replaced by a rename is seen after the container restarts.`,
    setup: `- A hook that runs at create and at every start, as the remote user, in the workspace folder: it reads the
  MCP source and updates only the MCP part of each installed agent's own config, atomically and with mode
  0600. A bad source fails the hook with file, line and column, and no file is touched. An agent is one
  whose Feature of this collection (1.1.0 or later) installed its MCP module,
  \`${HOOKS_ROOT}/<agent>/${MCP_MODULE_FILE}\`, and whose CLI is on \`PATH\`: that module names the agent's
  config file (its README says which) and writes the agent's own format; its relocation variable gives the folder.
- \`${LAUNCHER_PATH}\`: a local server whose \`env\` references \`\${VAR}\` is written as
  \`run-server NAME -- COMMAND ARGS…\`, so an agent's own \`mcp list\` shows the real command
  after the \`--\`. At server start the launcher resolves the env from the secrets file mounted at
  \`${SECRETS_STAGING_PATH}\` (first) and its own environment, then execs the command. Secret values are
  never written to a config, the image, the workspace, or the container's environment.
- \`${LAUNCH_SPEC_PATH}\`: each routed server's env templates (names and \`\${VAR}\` references only).`,
    after: `Remote servers' headers are sent by the agents themselves, from their own environment: a \`\${VAR}\` there
must be set where the agent runs (the hook warns when it is not).`,
  },
  tests: {
    source: "src/features/mcp-feature.ts",
    checks: (script) => checks(script === "custom_source" ? CUSTOM_SOURCE : DEFAULT_MCP_SOURCE),
    duplicate: `check "one source option baked in" bash -c '[ "$(grep -c ^source= ${FEATURE_OPTIONS_PATH})" = 1 ]'`,
    scenarios: {
      custom_source: {
        config: testScenario("AGENT_DC_TEST_NODE_IMAGE", MCP_FEATURE_ID, { source: CUSTOM_SOURCE, nodeVersion: "none" }),
        checks: `check "source option baked in" grep -qx "source=${CUSTOM_SOURCE}" ${FEATURE_OPTIONS_PATH}`,
      },
    },
  },
};

export function renderMcpFeatureMetadata(): FeatureMetadata {
  return renderFeatureMetadata(MCP_FEATURE);
}

export function renderMcpInstallScript(): string {
  return renderInstallScript(MCP_FEATURE);
}

export function renderMcpFeatureTests(): Tree {
  return renderFeatureTests(MCP_FEATURE);
}

export function renderMcpFeature(hookBundle: string, launcherBundle: string): Tree {
  return renderFeature(MCP_FEATURE, { "hooks/hook.js": hookBundle, "hooks/run-server.js": launcherBundle });
}
