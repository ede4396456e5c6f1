/**
 * Auth modes in real containers, with fake logins (no real one is possible here) and fake host homes:
 * `devcontainer up` gets HOME pointed at a temp folder, so ${localEnv:HOME} and the host step never see
 * the real home. One image serves every container: each config is the prebuilt image with every agent (so
 * one container checks every copy path; test/e2e/images.test.ts and mcp.test.ts build it too) plus the auth
 * parts of the modes under test, with the workspace Feature built on top as `--prebuilt` configs do, so each
 * `up` still builds with the fake secrets in the host's environment and home.
 */
import { spawn, spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { AGENT_IDS, agent, allAgents, GITHUB_CLI, type AgentId } from "../../src/catalogue/agents.js";
import type { AuthMode, ScaffoldOptions } from "../../src/generated/scaffold-options.js";
import { authVolumeName, locationVariables, stagedDir } from "../../src/auth/locations.js";
import type { DoctorReport } from "../../src/auth/diagnose.js";
import { featureRef } from "../../src/features/refs.js";
import { hostScriptTree } from "../../src/host/scripts.js";
import { AGENTS_IMAGE_NAME } from "../../src/images/refs.js";
import { packagePath } from "../../src/paths.js";
import { mergeParts } from "../../src/render/parts.js";
import { authPart } from "../../src/render/parts/auth.js";
import { exec, execOk, inspect, up, type Container } from "../support/devcontainer.js";
import { docker, removeContainers } from "../support/docker.js";
import { buildAllImages, ref } from "../support/images.js";
import { cli, fixtureRepo } from "../support/scaffold.js";

const RUN = randomBytes(4).toString("hex");
/** On every container this file starts, so cleanup finds them even when a start failed half-way. */
const RUN_LABEL = `agent-dc-test-auth=${RUN}`;
const secret = (name: string) => `FAKE-${name}-${RUN}`;
/** Every fake secret the test hands out; none may reach an image layer or `docker inspect`. */
const SECRETS = {
  claudeRefresh: secret("claude-refresh"),
  claudeApiKey: secret("claude-console-key"),
  codexRefresh: secret("codex-refresh"),
  copilotToken: secret("copilot-token"),
  geminiRefresh: secret("gemini-refresh"),
  ghToken: secret("gh-token"),
  claudeOauthToken: secret("claude-oauth-token"),
  openaiKey: secret("openai-key"),
  geminiKey: secret("gemini-key"),
  copilotEnvToken: secret("copilot-env-token"),
  ghEnvToken: secret("gh-env-token"),
  volumeKey: secret("volume-login"),
};
const TOKEN_ENV = {
  CLAUDE_CODE_OAUTH_TOKEN: SECRETS.claudeOauthToken,
  OPENAI_API_KEY: SECRETS.openaiKey,
  GEMINI_API_KEY: SECRETS.geminiKey,
  COPILOT_GITHUB_TOKEN: SECRETS.copilotEnvToken,
  GH_TOKEN: SECRETS.ghEnvToken,
};

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
/** The fake host logins, at their default places under a home folder. */
const HOST_FILES: Record<string, string> = {
  ".claude/.credentials.json": JSON.stringify({ claudeAiOauth: { accessToken: "fake", refreshToken: SECRETS.claudeRefresh, expiresAt: 4102444800000, scopes: ["user:inference"] } }),
  ".claude.json": JSON.stringify({ oauthAccount: { emailAddress: "me@example.com", accountUuid: "a-1" }, primaryApiKey: SECRETS.claudeApiKey, projects: { "/host/private": {} }, userID: "u-1" }),
  ".codex/auth.json": JSON.stringify({
    OPENAI_API_KEY: null,
    tokens: { id_token: `${b64url({ alg: "none" })}.${b64url({ email: "me@example.com" })}.sig`, access_token: "fake", refresh_token: SECRETS.codexRefresh, account_id: "acc-1" },
    last_refresh: "2099-01-01T00:00:00Z",
  }),
  ".copilot/config.json": JSON.stringify({ copilot_tokens: { "https://github.com:me": SECRETS.copilotToken } }),
  ".gemini/oauth_creds.json": JSON.stringify({ access_token: "fake", refresh_token: SECRETS.geminiRefresh, token_type: "Bearer" }),
  ".config/gh/hosts.yml": `github.com:\n    user: me\n    oauth_token: ${SECRETS.ghToken}\n`,
};

/** The environment of a `devcontainer` run: this machine's, minus anything that locates or carries a login. */
function hostEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const sources = [...allAgents(), GITHUB_CLI];
  const drop = new Set([...locationVariables(sources.flatMap((source) => source.hostLogin)), ...sources.flatMap((source) => source.tokenEnv)]);
  return { ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !drop.has(key))), HOME: home, ...extra };
}

const sha = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe.skipIf(!inject("docker"))("auth modes, with fake logins, in real containers", () => {
  const volumes = AGENT_IDS.map((id) => `${authVolumeName(id)}-e2e-${RUN}`);
  const temps: string[] = [];
  const temp = (name: string) => {
    const dir = mkdtempSync(join(tmpdir(), `auth-e2e-${name}-`));
    temps.push(dir);
    return dir;
  };
  let repo: string;
  let fullHome: string;
  let emptyHome: string;
  const box: Partial<Record<"copy" | "token" | "volumeA" | "volumeB" | "otherAgent", Container>> = {};
  const c = (name: keyof typeof box) => box[name]!;

  /**
   * A config on the image with every agent (identical in every config, hence one image) and the auth
   * parts the product renders for the given modes. Volume names get this run's suffix so the test never
   * touches a real login volume.
   */
  function writeConfig(name: string, auth: Partial<Record<AgentId, AuthMode>>): string {
    const options: ScaffoldOptions = {
      agents: [...AGENT_IDS],
      baseImage: ref(AGENTS_IMAGE_NAME),
      user: "agent",
      featureSource: "local",
      featureOwner: "x",
      repoName: "auth-e2e",
      auth,
    };
    const config = mergeParts(
      { name: `auth-e2e ${name}`, image: options.baseImage },
      {
        features: { [featureRef("workspace", options)]: {} },
        containerUser: "agent",
        remoteUser: "agent",
        updateRemoteUserUID: false,
        securityOpt: ["no-new-privileges:true"],
        runArgs: [`--label=${RUN_LABEL}`],
      },
      ...(Object.keys(auth) as AgentId[]).map((id) => authPart(agent(id), options)),
    );
    if (config.mounts) {
      config.mounts = config.mounts.map((mount) =>
        typeof mount === "string" ? mount.replace(/source=(agent-devcontainer-auth-[a-z]+),/, `source=$1-e2e-${RUN},`) : mount,
      );
    }
    const path = join(repo, ".devcontainer", name, "devcontainer.json");
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, JSON.stringify(config, null, 2));
    // The host steps its initializeCommand runs, where the scaffolder puts them.
    for (const [script, file] of hostScriptTree([config.initializeCommand])) {
      mkdirSync(join(repo, script, ".."), { recursive: true });
      writeFileSync(join(repo, script), file.content, { mode: file.mode ?? 0o644 });
    }
    return path;
  }

  const allModes = (mode: AuthMode) => Object.fromEntries(AGENT_IDS.map((id) => [id, mode])) as Record<AgentId, AuthMode>;

  beforeAll(async () => {
    repo = fixtureRepo("auth-e2e");
    temps.push(join(repo, ".."));
    cpSync(packagePath("features", "src", "workspace"), join(repo, ".devcontainer", "features", "workspace"), { recursive: true });
    await buildAllImages(inject("nodeMirror"));
    fullHome = temp("full-home");
    for (const [path, content] of Object.entries(HOST_FILES)) {
      mkdirSync(join(fullHome, path, ".."), { recursive: true });
      writeFileSync(join(fullHome, path), content, { mode: 0o600 });
    }
    emptyHome = temp("empty-home");
    // The first up builds the image, with every fake secret in the host's environment and home.
    box.copy = await up(repo, writeConfig("copy", allModes("copy")), { env: hostEnv(fullHome, TOKEN_ENV) });
    // The rest start from the cached image, two at a time, on a host with no login at all (but the token
    // container's variables): Codex's login lives in a volume, the other agents copy nothing.
    const tokenConfig = writeConfig("token", allModes("token"));
    const volumeConfig = writeConfig("volume", { ...allModes("copy"), codex: "volume" });
    const otherConfig = writeConfig("other-agent", { ...allModes("copy"), gemini: "volume" });
    const started = await Promise.allSettled([
      (async () => {
        box.token = await up(repo, tokenConfig, { env: hostEnv(emptyHome, TOKEN_ENV) });
        box.otherAgent = await up(repo, otherConfig, { env: hostEnv(emptyHome) });
      })(),
      (async () => {
        // One after the other: the first creates the volume (Docker fills it from the image).
        box.volumeA = await up(repo, volumeConfig, { env: hostEnv(emptyHome) });
        box.volumeB = await up(repo, volumeConfig, { env: hostEnv(emptyHome) });
      })(),
    ]);
    for (const result of started) if (result.status === "rejected") throw result.reason;
  });

  afterAll(() => {
    removeContainers(RUN_LABEL);
    for (const volume of volumes) spawnQuiet("docker", ["volume", "rm", "-f", volume]);
    for (const dir of temps) rmSync(dir, { recursive: true, force: true });
  });

  /** Each host login file and the path its tool reads in the container (shared/reference/agents.md). */
  const COPIED: [string, string][] = [
    [".claude/.credentials.json", "/var/lib/agent-devcontainer/claude/.credentials.json"],
    [".codex/auth.json", "/var/lib/agent-devcontainer/codex/auth.json"],
    [".copilot/config.json", "/var/lib/agent-devcontainer/copilot/config.json"],
    [".gemini/oauth_creds.json", "/var/lib/agent-devcontainer/gemini/.gemini/oauth_creds.json"],
  ];

  describe("copy", () => {
    it("puts each login at the exact path its tool reads, owned by UID 1000, mode 0600, with the host's bytes", async () => {
      const paths = COPIED.map(([, path]) => path);
      const listing = await execOk(c("copy"), ["sh", "-c", 'for p; do echo "$p $(stat -c "%u %a" "$p") $(sha256sum < "$p" | cut -c1-64)"; done', "sh", ...paths]);

      expect(listing.split("\n")).toEqual(COPIED.map(([hostPath, path]) => `${path} 1000 600 ${sha(join(fullHome, hostPath))}`));
    });

    it("does not give the agents gh's login (it could push to the upstream around sync) unless asked for", async () => {
      const found = await output(c("copy"), ["sh", "-c", `ls /home/agent/.config/gh/hosts.yml /run/agent-devcontainer/host-login/*/gh-hosts.yml 2>&1; grep -rsl ${SECRETS.ghToken} /home /var/lib/agent-devcontainer /run /tmp | sed 's/^/leaked in /'; true`]);
      expect(found).toMatch(/No such file/);
      expect(found).not.toMatch(/^\/\S+hosts\.yml$/m);
      expect(found).not.toContain("leaked in");
    });

    it("merges only Claude's account part into $CLAUDE_CONFIG_DIR/.claude.json, and the real CLIs see the logins", async () => {
      const claudeJson = JSON.parse(await execOk(c("copy"), ["cat", "/var/lib/agent-devcontainer/claude/.claude.json"])) as Record<string, unknown>;
      expect(claudeJson).toMatchObject({ oauthAccount: { emailAddress: "me@example.com" }, userID: "u-1", hasCompletedOnboarding: true });
      expect(claudeJson).not.toHaveProperty("projects");
      expect(JSON.parse(await execOk(c("copy"), ["claude", "auth", "status", "--json"]))).toMatchObject({ loggedIn: true, email: "me@example.com" });
      expect(await output(c("copy"), ["codex", "login", "status"])).toContain("Logged in using ChatGPT");
      expect(await execOk(c("copy"), ["printenv", "GOOGLE_GENAI_USE_GCA"])).toBe("true");
    });

    it("stages read-only: not even root in the container can write to the staged copies", () => {
      const write = spawnQuiet("docker", ["exec", "-u", "0", c("copy").id, "touch", `${stagedDir("claude")}/credentials.json`]);
      expect(write.code).not.toBe(0);
      expect(write.stderr).toMatch(/Read-only file system/);
      const mounts = inspect(c("copy")).Mounts as { Destination: string; RW: boolean }[];
      expect(mounts.filter((mount) => mount.Destination.startsWith("/run/agent-devcontainer/")).map((mount) => mount.RW)).toEqual(AGENT_IDS.map(() => false));
    });

    it("leaves the host's files byte-for-byte unchanged after the agent rewrites its copies (a refresh)", async () => {
      const before = Object.keys(HOST_FILES).map((path) => sha(join(fullHome, path)));
      const paths = [...COPIED.map(([, path]) => path), "/var/lib/agent-devcontainer/claude/.claude.json"];
      await execOk(c("copy"), ["sh", "-c", `for p; do echo '{"refreshed":true}' > "$p"; done`, "sh", ...paths]);

      expect(Object.keys(HOST_FILES).map((path) => sha(join(fullHome, path)))).toEqual(before);
      expect(Object.entries(HOST_FILES).map(([path]) => readFileSync(join(fullHome, path), "utf8"))).toEqual(Object.values(HOST_FILES));
    });
  });

  describe("token", () => {
    it("hands each token to the agent's processes", async () => {
      const printed = await execOk(c("token"), ["printenv", ...Object.keys(TOKEN_ENV)], { env: hostEnv(emptyHome, TOKEN_ENV) });
      expect(printed.split("\n")).toEqual(Object.values(TOKEN_ENV));
      const status = JSON.parse(await execOk(c("token"), ["claude", "auth", "status", "--json"], { env: hostEnv(emptyHome, TOKEN_ENV) }));
      expect(status).toMatchObject({ loggedIn: true, authMethod: "oauth_token" });
      expect(await output(c("token"), ["codex", "login", "status"])).toMatch(/API key configured/);
    });

    it("seeds Claude's onboarding flag so its UI does not ask to log in", async () => {
      expect(JSON.parse(await execOk(c("token"), ["cat", "/var/lib/agent-devcontainer/claude/.claude.json"]))).toMatchObject({ hasCompletedOnboarding: true });
    });

    it("keeps every token out of docker inspect and the log, and out of every file but the one Codex's login writes", async () => {
      const inspected = docker("inspect", c("token").id) + docker("image", "inspect", inspect(c("token")).Image as string);
      // Root here has no capabilities (no DAC override), so the agent user searches the folders it owns.
      const grep = ["grep", "-rlsF", "--devices=skip", "--exclude-dir=proc", "--exclude-dir=sys", "--exclude-dir=dev", ...Object.values(TOKEN_ENV).flatMap((value) => ["-e", value])];
      const found = new Set(
        [
          ["0", "/"],
          ["1000", "/var/lib/agent-devcontainer", "/home/agent"],
        ].flatMap(([user, ...roots]) => spawnQuiet("docker", ["exec", "-u", user!, c("token").id, ...grep, ...roots]).stdout.split("\n").filter(Boolean)),
      );

      for (const value of Object.values(TOKEN_ENV)) {
        expect(inspected).not.toContain(value);
        expect(c("token").up.log).not.toContain(value);
      }
      // Interactive Codex reads no key from the environment: `codex login --with-api-key` stores it (0600).
      expect([...found]).toEqual(["/var/lib/agent-devcontainer/codex/auth.json"]);
      expect(await execOk(c("token"), ["stat", "-c", "%u %a", "/var/lib/agent-devcontainer/codex/auth.json"])).toBe("1000 600");
    });
  });

  describe("volume", () => {
    it("starts from a volume Docker filled from the image: owned by UID 1000, private", async () => {
      expect(await execOk(c("volumeA"), ["stat", "-c", "%u %g %a", "/var/lib/agent-devcontainer/codex"])).toBe("1000 1000 700");
      expect((await exec(c("volumeA"), ["codex", "login", "status"])).code).not.toBe(0);
    });

    it("shares a login made in one container with the agent's other containers, and not with another agent's", async () => {
      await execOk(c("volumeA"), ["sh", "-c", 'printf %s "$KEY" | codex login --with-api-key'], { remoteEnv: { KEY: SECRETS.volumeKey } });

      expect(await output(c("volumeB"), ["codex", "login", "status"])).toMatch(/API key configured/);
      expect(await execOk(c("volumeB"), ["stat", "-c", "%u %a", "/var/lib/agent-devcontainer/codex/auth.json"])).toBe("1000 600");
      expect((await exec(c("otherAgent"), ["codex", "login", "status"])).code).not.toBe(0);
      const geminiVolume = await execOk(c("otherAgent"), ["ls", "-A", "/var/lib/agent-devcontainer/gemini"]);
      expect(geminiVolume).not.toContain("auth.json");
      expect(docker("volume", "inspect", "--format", "{{index .Labels \"io.github.create-agent-devcontainer.agent\"}}", `${authVolumeName("codex")}-e2e-${RUN}`)).toBe("codex");
    });
  });

  describe("a host with no logins", () => {
    it("still brought up containers whose agents report they are not logged in", async () => {
      expect(JSON.parse((await exec(c("volumeA"), ["claude", "auth", "status", "--json"])).stdout)).toMatchObject({ loggedIn: false });
      expect(await execOk(c("otherAgent"), ["ls", "-A", stagedDir("codex")])).toBe("");
    });

    it("gets a doctor --json report that names each agent as not logged in, with a fix", () => {
      const output = cli(["doctor", repo, "--agent", "all", "--json"], { env: hostEnv(emptyHome) });
      const report = JSON.parse(output) as DoctorReport;

      expect(report.docker.ok).toBe(true);
      expect(report.devcontainerCli.ok).toBe(true);
      expect(report.agents.map((entry) => [entry.id, entry.mode, entry.status])).toEqual(AGENT_IDS.map((id) => [id, "copy", "not-logged-in"]));
      for (const entry of report.agents) {
        expect(entry.fix).toContain(agent(entry.id as AgentId).hostLoginHowTo);
        expect(entry.fix).toContain(`--auth ${entry.id}=token`);
      }
    });
  });

  it("leaves none of the fake secrets in the image's layers (docker save)", async () => {
    const images = [...new Set(Object.values(box).map((container) => inspect(container!).Image as string))];

    const hits = await scanDockerSave(images, Object.values(SECRETS));

    expect(hits).toEqual([]);
  });
});

function spawnQuiet(command: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
  return { code: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

/** Everything a command printed, for CLIs that report on stderr (codex login status); throws unless it exits 0. */
async function output(container: Container, command: string[]): Promise<string> {
  const result = await exec(container, command);
  if (result.code !== 0) throw new Error(`${command.join(" ")} exited ${result.code}: ${result.stderr}${result.stdout}`);
  return result.stdout + result.stderr;
}

/** Streams `docker save` and reports each needle found anywhere in it (across chunk boundaries too). */
function scanDockerSave(images: string[], needles: string[]): Promise<string[]> {
  const patterns = needles.map((needle) => Buffer.from(needle));
  const overlap = Math.max(...patterns.map((pattern) => pattern.length)) - 1;
  const found = new Set<string>();
  return new Promise((resolve, reject) => {
    const child = spawn("docker", ["save", ...images], { stdio: ["ignore", "pipe", "inherit"] });
    let tail = Buffer.alloc(0);
    child.stdout.on("data", (chunk: Buffer) => {
      const window = Buffer.concat([tail, chunk]);
      patterns.forEach((pattern, index) => {
        if (window.includes(pattern)) found.add(needles[index]!);
      });
      tail = window.subarray(Math.max(0, window.length - overlap));
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve([...found]) : reject(new Error(`docker save exited ${code}`))));
  });
}
