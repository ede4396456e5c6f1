import { AGENT_IDS } from "../catalogue/agents.js";
import { DEFAULT_AUTH } from "../auth/modes.js";
import {
  DEFAULT_BASE_IMAGE,
  DEFAULT_EGRESS,
  DEFAULT_MCP_SECRETS_FILE,
  DEFAULT_MCP_SOURCE_PATH,
  DEFAULT_USER,
  DEFAULT_WORKSPACE,
} from "./scaffold-command.js";
import { DEFAULT_FEATURE_OWNER } from "../features/refs.js";
import { ENV_BASE_IMAGE, ENV_NODE_MIRROR } from "./feature-source.js";

export const HELP = `Usage: create-agent-devcontainer [dir] [options]

Writes .devcontainer/<agent>/devcontainer.json for each chosen agent into the repository at [dir]
(default: the current folder). Asks when stdin is a terminal; otherwise, or with --yes, takes defaults.

Commands:
  launch <path|git-url>   start a background container per --agent with its own clone and branch
                          <agent>/<--branch>, writing nothing into the repository (launch --help)
  list                    launched containers: agent, repo, branch, state, age
  stop|start <name>       stop (after importing its pushed work) or start a launched container
  sync [name…]            import containers' pushed branches into the host repository (the
                          current folder's containers; --all; --force takes a rewritten branch)
  rm <name>               import, then remove its container and volumes (asks if work is
                          unpushed; --force)
  shell <name> [-- cmd]   a shell (or one command) as the agent user in the workspace
  code <name>             open VS Code attached to the container
  logs <name>             the launch's full devcontainer log and the container's output
                          (each takes --json)
  mcp check|render        validate the MCP source, or print the config an agent gets from it
                          (mcp --help)
  doctor [dir]            what this host lacks for the agents' containers: Docker, the devcontainer
                          CLI, each agent's login in its auth mode, with the command that fixes it
                          (--agent, --auth, --mcp-secrets, --json)
  egress <name>           a container's allowed and blocked connections (--json, --follow)
  egress allow <name> <host[:port]>
                          let that running container reach a host (no restart)

Options:
  --agent <name>          ${AGENT_IDS.join("|")}|all; repeat for several (default: all)
  --base-image <image>    image to build on (default: $${ENV_BASE_IMAGE}, else
                          ${DEFAULT_BASE_IMAGE})
  --user <name>           non-root user (UID 1000) agents run as (default: ${DEFAULT_USER})
  --local-features        vendor the Features under .devcontainer/features (the default: works
                          today, offline, at this version)
  --ghcr-features         refer to the Features published on GHCR instead (needs a release of them)
  --features-owner <o>    GHCR owner of the published Features (default: ${DEFAULT_FEATURE_OWNER});
                          implies --ghcr-features
  --auth <mode>           how agents log in: copy|token|volume|broker, or <agent>=<mode>; repeatable
                          (default: ${DEFAULT_AUTH})
  --workspace <kind>      clone (own clone on a volume, host tree untouched) or bind (default: ${DEFAULT_WORKSPACE})
  --mcp-source <path>     MCP source of truth in the repo (default: ${DEFAULT_MCP_SOURCE_PATH})
  --mcp-secrets <path>    host file with MCP secrets, mounted read-only
                          (default: ${DEFAULT_MCP_SECRETS_FILE})
  --upstream-access       give agents your GitHub CLI login (gh hosts.yml / GH_TOKEN), so they can
                          push to and call the upstream directly, around sync (default: off)
  --prebuilt              use the prebuilt agent images instead of building Features
  --ci-workflow           also write .github/workflows/agent-<agent>.yml: the agent headless in
                          GitHub Actions, logged in with tokens from repository secrets
  --node-mirror <url>     Node.js download mirror for the Features (default:
                          $${ENV_NODE_MIRROR}, else nodejs.org)
  --egress <mode>         allowlist (only listed hosts), log (all public hosts, logged) or open
                          (default: ${DEFAULT_EGRESS}); the list: .devcontainer/egress.toml
  --allow-host <host>     host[:port] or *.domain the allowlist also admits; repeatable
  -y, --yes               take every default without asking
  --dry-run               print what would be written, write nothing
  --force                 overwrite files you edited since they were generated
  --json                  print the result as JSON on stdout (implies no prompts)
  -h, --help              show this help
  -v, --version           print the version

Examples:
  npx create-agent-devcontainer --yes
  npx create-agent-devcontainer ./my-repo --agent claude --agent codex --ghcr-features
  npx create-agent-devcontainer --agent gemini --base-image debian:bookworm-slim --dry-run --json
  npx create-agent-devcontainer --agent claude --agent codex --auth token --auth codex=volume
`;
