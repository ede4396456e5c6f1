import { AGENT_IDS } from "../catalogue/agents.js";
import { DEFAULT_BASE_IMAGE, DEFAULT_USER } from "./scaffold-command.js";
import { DEFAULT_FEATURE_OWNER } from "../features/refs.js";

export const HELP = `Usage: create-agent-devcontainer [dir] [options]

Writes .devcontainer/<agent>/devcontainer.json for each chosen agent into the repository at [dir]
(default: the current folder). Asks when stdin is a terminal; otherwise, or with --yes, takes defaults.

Options:
  --agent <name>          ${AGENT_IDS.join("|")}|all; repeat for several (default: all)
  --base-image <image>    image to build on (default: ${DEFAULT_BASE_IMAGE})
  --user <name>           non-root user (UID 1000) agents run as (default: ${DEFAULT_USER})
  --local-features        vendor the Features under .devcontainer/features (works offline)
  --features-owner <o>    GHCR owner of the Features (default: ${DEFAULT_FEATURE_OWNER})
  -y, --yes               take every default without asking
  --dry-run               print what would be written, write nothing
  --force                 overwrite files you edited since they were generated
  --json                  print the result as JSON on stdout (implies no prompts)
  -h, --help              show this help
  -v, --version           print the version

Examples:
  npx create-agent-devcontainer --yes
  npx create-agent-devcontainer ./my-repo --agent claude --agent codex --local-features
  npx create-agent-devcontainer --agent gemini --base-image debian:bookworm-slim --dry-run --json
`;
