/**
 * The policy a team commits and reviews: `.devcontainer/egress.toml` (written once by the scaffolder, then
 * the user's), read by the enforcer at every change and by the CLI. Its JSON Schema is
 * schemas/egress.schema.json. The enforcer's whole policy is this file, the presets the config names, and
 * the hosts `egress allow` added to that one container.
 */
import { parse } from "smol-toml";
import { parseHostRules, validCidr, type HostRule } from "./policy.js";

export const POLICY_FILE = ".devcontainer/egress.toml";

export interface PolicyFile {
  allow: HostRule[];
  privateRanges: string[];
  errors: string[];
}

export function parsePolicyFile(text: string): PolicyFile {
  let data: Record<string, unknown>;
  try {
    data = parse(text) as Record<string, unknown>;
  } catch (error) {
    return { allow: [], privateRanges: [], errors: [`${POLICY_FILE}: ${(error as Error).message.split("\n")[0]}`] };
  }
  const errors: string[] = [];
  const strings = (key: string): string[] => {
    const value = data[key];
    if (value === undefined) return [];
    if (!Array.isArray(value) || !value.every((item) => typeof item === "string")) {
      errors.push(`${POLICY_FILE}: ${key} must be a list of strings`);
      return [];
    }
    return value as string[];
  };
  for (const key of Object.keys(data)) if (key !== "allow" && key !== "private") errors.push(`${POLICY_FILE}: unknown key ${key}`);
  const parsed = parseHostRules(strings("allow"));
  const privateRanges = strings("private");
  for (const cidr of privateRanges) if (!validCidr(cidr)) errors.push(`${POLICY_FILE}: not an IPv4 CIDR range: ${cidr}`);
  return {
    allow: parsed.rules,
    privateRanges: privateRanges.filter(validCidr),
    errors: [...errors, ...parsed.errors.map((error) => `${POLICY_FILE}: ${error}`)],
  };
}

/** The starter the scaffolder writes once; comments say what the boundary is and how to widen it. */
export function renderPolicyStarter(): string {
  return `# Network egress policy for this repository's agent containers (create-agent-devcontainer).
# Commit it: the team reviews what agents may reach. The enforcer re-reads it while containers run.
#
# Already allowed without listing them here: each agent's API and login hosts, GitHub, VS Code's
# hosts, the package registries this repository uses and the hosts of remote MCP servers.
# Everything else is refused (mode "allowlist") and shows up in:  npx create-agent-devcontainer egress <name>
#
# allow: "host", "host:port" (without a port: 80 and 443), "*.example.com" (every name under it).
allow = [
  # "internal-registry.example.com",
  # "*.example.org:8443",
]

# The Docker host, private ranges and link-local/metadata addresses stay unreachable, even through a
# listed name, unless the range is listed here (IPv4 CIDR), e.g. "10.20.0.0/16" for an internal service.
private = []
`;
}
