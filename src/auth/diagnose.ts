/**
 * `doctor`'s judgement, as a pure function of what a probe found on the host (HostFacts): per agent, the
 * auth mode, what was found, whether the container will be logged in, and the exact command that fixes
 * it. Token values never get here: only the names of the variables that are set.
 */
import { agent, brokerOf, brokerRefusal, GITHUB_CLI, type AgentId, type AgentRecord, type LoginFile, type LoginSource } from "../catalogue/agents.js";
import type { AuthMode } from "../generated/scaffold-options.js";
import { activeLocation, authVolumeName, resolveLoginPath } from "./locations.js";

export interface FileFact {
  exists: boolean;
  /** The file holds a login (not just settings); see LoginFile.loginPattern. */
  holdsLogin: boolean;
}

export interface ToolFact {
  found: boolean;
  version?: string;
  /** Where it was found, or why it was not. */
  detail?: string;
}

export interface HostFacts {
  platform: string;
  wsl: boolean;
  home: string;
  /** The Windows user's profile seen from WSL, when there is one. */
  windowsHome?: string;
  /** Values of the variables that relocate login files (folders, never secrets). */
  locationEnv: Readonly<Record<string, string>>;
  /** Names of the token variables set to a non-empty value. */
  tokens: readonly string[];
  /** What the probe found at each login file path it looked at. */
  files: Readonly<Record<string, FileFact>>;
  /** Keychain services that hold an item (macOS). */
  keychain: readonly string[];
  /** Named volumes that exist; undefined when Docker could not be asked. */
  volumes?: readonly string[];
  docker: ToolFact;
  devcontainerCli: ToolFact;
  secretsFile: { path: string; exists: boolean; private: boolean };
}

/** What the scaffolder's default needs: the facts about logins, without Docker. */
export type LoginFacts = Pick<HostFacts, "platform" | "wsl" | "home" | "windowsHome" | "locationEnv" | "tokens" | "files" | "keychain">;

export type LoginStatus = "ready" | "not-logged-in" | "unknown";

export interface LoginDiagnosis {
  id: string;
  title: string;
  mode: AuthMode;
  status: LoginStatus;
  /** What was found: file paths, `$VARIABLE` names, keychain items, volumes. */
  found: string[];
  summary: string;
  fix?: string;
  warnings: string[];
  /** gh's login when agents do not get it (no --upstream-access): reported, but nothing is missing. */
  optional?: boolean;
}

export interface Check {
  ok: boolean;
  detail: string;
  fix?: string;
}

export interface DoctorReport {
  /** Docker and the devcontainer CLI are there: containers can start (logged in or not). */
  ok: boolean;
  platform: string;
  wsl: boolean;
  docker: Check;
  devcontainerCli: Check;
  secretsFile: Check;
  agents: LoginDiagnosis[];
  /** gh's login for the `origin` remote, once per auth mode in use. */
  github: LoginDiagnosis[];
  notes: string[];
}

/** Where a login file is on this host, including the Windows profile WSL can see. */
export function candidatePaths(file: LoginFile, facts: Pick<HostFacts, "locationEnv" | "home" | "windowsHome">): string[] {
  const primary = resolveLoginPath(file, facts.locationEnv, facts.home);
  const location = activeLocation(file, facts.locationEnv);
  return location.env === undefined && facts.windowsHome ? [primary, `${facts.windowsHome}/${location.path}`] : [primary];
}

export function diagnose(modes: Readonly<Partial<Record<AgentId, AuthMode>>>, facts: HostFacts): DoctorReport {
  const ids = Object.keys(modes) as AgentId[];
  const agents = ids.map((id) => diagnoseLogin(agent(id), modes[id]!, facts, agent(id).binary));
  const ghModes = [...new Set(ids.map((id) => modes[id]!))];
  const docker = toolCheck(facts.docker, "install Docker Engine (or Docker Desktop) and start it: `docker info` must answer");
  const devcontainerCli = toolCheck(facts.devcontainerCli, "npm install -g @devcontainers/cli");
  return {
    ok: docker.ok && devcontainerCli.ok,
    platform: facts.platform,
    wsl: facts.wsl,
    docker,
    devcontainerCli,
    secretsFile: secretsCheck(facts),
    agents,
    github: ghModes.map((mode) => diagnoseLogin(GITHUB_CLI, mode, facts, "gh")),
    notes: platformNotes(facts),
  };
}

function diagnoseLogin(source: LoginSource, mode: AuthMode, facts: HostFacts, binary: string): LoginDiagnosis {
  const verdicts: Record<AuthMode, () => Verdict> = {
    copy: () => copyVerdict(source, facts),
    token: () => tokenVerdict(source, facts),
    volume: () => volumeVerdict(source, facts, binary),
    broker: () => brokerVerdict(source, facts),
  };
  const verdict = verdicts[mode]();
  // A fixed key order, for stable --json output.
  const { status, found, summary, fix, warnings } = verdict;
  return { id: source.id, title: source.title, mode, status, found, summary, ...(fix ? { fix } : {}), warnings };
}

type Verdict = Omit<LoginDiagnosis, "id" | "title" | "mode">;

function copyVerdict(source: LoginSource, facts: HostFacts): Verdict {
  const found: string[] = [];
  let loggedIn = false;
  for (const file of source.hostLogin) {
    const path = candidatePaths(file, facts).find((candidate) => facts.files[candidate]?.exists);
    if (!path) continue;
    found.push(tilde(path, facts.home) + (file.keys ? " (account part)" : ""));
    loggedIn ||= facts.files[path]!.holdsLogin;
  }
  const switchToToken = `${source.tokenHowTo}, then choose token auth: --auth ${source.id === "gh" ? "token" : `${source.id}=token`}`;
  if (loggedIn) {
    const warnings = source.singleUseRefresh
      ? [
          `${source.title}'s refresh tokens are single-use: the container's copy and this host's login diverge at the first refresh, ` +
            `and whichever side refreshes second is logged out. For long sessions use --auth ${source.id}=token ` +
            `(${source.tokenHowTo}) or --auth ${source.id}=volume (log in once inside).`,
        ]
      : [];
    return { status: "ready", found, summary: `copies ${found.join(", ")} into the container when it is created`, warnings };
  }
  const service = source.keychainService;
  if (service && facts.keychain.includes(service)) {
    return {
      status: "not-logged-in",
      found: [...found, `Keychain item "${service}"`],
      summary: `the login is in the macOS Keychain ("${service}"), which a container cannot read`,
      fix: switchToToken,
      warnings: [],
    };
  }
  const looked = source.hostLogin.map((file) => tilde(resolveLoginPath(file, facts.locationEnv, facts.home), facts.home));
  return {
    status: "not-logged-in",
    found,
    summary: looked.length > 0 ? `no login at ${looked.join(" or ")}: the container starts logged out` : "no login file to copy: the container starts logged out",
    fix: `${source.hostLoginHowTo}; or ${switchToToken}`,
    warnings: [],
  };
}

function tokenVerdict(source: LoginSource, facts: HostFacts): Verdict {
  const set = source.tokenEnv.filter((name) => facts.tokens.includes(name));
  const vscode = "VS Code reads these variables from its own environment: start it from a shell that exports them (`code .`)";
  if (set.length === 0) {
    return {
      status: "not-logged-in",
      found: [],
      summary: `none of ${source.tokenEnv.map((name) => `$${name}`).join(", ")} is set here: the container starts logged out`,
      fix: `${source.tokenHowTo} in the shell that runs devcontainer or VS Code`,
      warnings: [],
    };
  }
  const stored = "tokenLogin" in source && source.tokenLogin ? " (the agent's own login stores it in its config inside the container)" : "";
  return {
    status: "ready",
    found: set.map((name) => `$${name}`),
    summary: `passes $${set[0]} to the agent when a command runs, never into the container's configuration${stored}`,
    warnings: [vscode],
  };
}

/** The broker holds what the host step finds in these variables at the next `up` (docs/broker.md). */
function brokerVerdict(source: LoginSource, facts: HostFacts): Verdict {
  if (!("broker" in source)) {
    return { status: "unknown", found: [], summary: "gh's login is not brokered: the container gets none in broker mode", warnings: [] };
  }
  const record = source as AgentRecord;
  const refusal = brokerRefusal(record);
  if (refusal) {
    return { status: "not-logged-in", found: [], summary: `${record.title} cannot be brokered: ${refusal}`, fix: `choose another mode: --auth ${record.id}=token`, warnings: [] };
  }
  const broker = brokerOf(record)!;
  const credentials = broker.credentials;
  const held = credentials.flatMap((credential) => credential.from.filter((name) => facts.tokens.includes(name)).slice(0, 1));
  // Without a key, a subscription login the broker keeps on the host (egress.sh `--login`).
  const loginFile = held.length === 0 && broker.login ? record.hostLogin.find((file) => file.staged === broker.login!.staged) : undefined;
  const loginPath = loginFile && candidatePaths(loginFile, facts).find((path) => facts.files[path]?.holdsLogin);
  if (loginPath) {
    return {
      status: "ready",
      found: [tilde(loginPath, facts.home)],
      summary: `the broker keeps the login in ${tilde(loginPath, facts.home)} on this host (one refresher writes its renewed tokens back there); the container gets a placeholder login`,
      warnings: [],
    };
  }
  if (held.length === 0) {
    const names = credentials.flatMap((credential) => credential.from.map((name) => `$${name}`));
    return {
      status: "not-logged-in",
      found: [],
      summary: `the broker holds no credential: none of ${names.join(", ")} is set here`,
      fix: `${source.tokenHowTo} in the shell that runs devcontainer or VS Code`,
      warnings: [],
    };
  }
  return {
    status: "ready",
    found: held.map((name) => `$${name}`),
    summary: `the egress enforcer holds $${held.join(", $")} and injects it into ${source.title}'s API requests; the container gets a placeholder`,
    warnings: [],
  };
}

function volumeVerdict(source: LoginSource, facts: HostFacts, binary: string): Verdict {
  if (source.id === "gh") {
    return { status: "unknown", found: [], summary: "gh keeps its login in the agent's volume", fix: "run `gh auth login` once inside a container", warnings: [] };
  }
  const volume = authVolumeName(source.id as AgentId);
  const config = `.devcontainer/${source.id}/devcontainer.json`;
  const login = `npx @devcontainers/cli exec --workspace-folder . --config ${config} ${binary}`;
  if (facts.volumes === undefined) {
    return { status: "unknown", found: [], summary: `cannot ask Docker whether volume ${volume} exists`, warnings: [] };
  }
  if (!facts.volumes.includes(volume)) {
    return {
      status: "not-logged-in",
      found: [],
      summary: `volume ${volume} does not exist yet: the first container creates it, logged out`,
      fix: `start the container, then log in once inside: ${login}`,
      warnings: [],
    };
  }
  return {
    status: "unknown",
    found: [`volume ${volume}`],
    summary: `the login lives in volume ${volume}, shared by every ${source.title} container (log in once inside if you have not)`,
    fix: `to log in: ${login}`,
    warnings: [],
  };
}

function toolCheck(fact: ToolFact, fix: string): Check {
  if (fact.found) return { ok: true, detail: [fact.version, fact.detail].filter(Boolean).join(" ") || "found" };
  return { ok: false, detail: fact.detail ?? "not found", fix };
}

function secretsCheck(facts: HostFacts): Check {
  const { path, exists } = facts.secretsFile;
  const shown = tilde(path, facts.home);
  if (!exists) {
    return {
      ok: true,
      detail: `${shown} not present (needed only when MCP servers reference secrets)`,
      fix: `install -D -m 600 /dev/null ${shown}`,
    };
  }
  if (!facts.secretsFile.private) return { ok: false, detail: `${shown} is readable by other users`, fix: `chmod 600 ${shown}` };
  return { ok: true, detail: `${shown} present, private` };
}

function platformNotes(facts: HostFacts): string[] {
  if (facts.platform === "win32") {
    return [
      "Windows without WSL: copy auth's host step is a POSIX shell script, so `up` fails before it starts. " +
        "Open the repository from WSL 2 (Docker Desktop's WSL integration), or use --auth token or --auth volume.",
    ];
  }
  return facts.wsl && facts.windowsHome ? [`WSL: logins missing here are also looked for in ${facts.windowsHome}`] : [];
}

function tilde(path: string, home: string): string {
  return home && path.startsWith(`${home}/`) ? `~/${path.slice(home.length + 1)}` : path;
}
