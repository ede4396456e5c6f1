/**
 * The review dashboard end to end: the real CLI launches two containers (real devcontainer CLI, real
 * Docker), `ui --no-open` serves the page, and Debian's headless Chromium drives it as a person would,
 * keyboard included. A task started from the page runs the real Claude Code against the scripted model
 * API (test/support/model-api.ts) while the page shows its transcript grow, then its diff.
 * Sync, stop, start and remove from the page do what the CLI does (remove refuses unimported work), and requests
 * without the token, from another origin or with a foreign Host are refused.
 * Screenshots of the list and a diff are saved under test-artifacts/ui/ (printed at the end).
 */
import { randomBytes } from "node:crypto";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { cliArgs, runCli, type CliRun } from "../support/cli.js";
import { packagePath } from "../../src/paths.js";
import { authLabel } from "../../src/auth/modes.js";
import { ENV_BASE_IMAGE, ENV_NODE_MIRROR } from "../../src/cli/feature-source.js";
import { launchChromium } from "../support/browser.js";
import { bridgeGateway, docker } from "../support/docker.js";
import { SCRIPTED_CONTENT, startModelApi, type ModelApi } from "../support/model-api.js";

const A = "codex";
/** B runs a task started from the page: Claude Code with token auth against the scripted model API. */
const B = "claude";
const RUN = randomBytes(3).toString("hex");
const REPO = `ui-repo-${RUN}`;
const NAMES = { a: `${A}-${REPO}-ui`, b: `${B}-${REPO}-ui` } as const;
/** Launched from the page's form (with an auth mode and a gateway) once B is gone. */
const FORM_NAME = `${B}-${REPO}-form`;
const KEY = `sk-scripted-${RUN}`;
const PROMPT = "create notes/from-agent.txt";
const ARTIFACTS = packagePath("test-artifacts", "ui");

// The page's globals, for the functions that run in it (this project compiles without the DOM library).
// Functions, not strings: the page's CSP forbids eval, and Playwright evaluates a string predicate with it.
declare const document: { querySelector(selector: string): { textContent: string | null; id?: string } | null; activeElement: { id: string; textContent: string | null } | null };
declare const location: { hash: string };

let root = "";
let repo = "";
let env: NodeJS.ProcessEnv = {};
let ui: ChildProcess | undefined;
let uiLog = "";
let url = "";
let origin = "";
let token = "";
let browser: Browser | undefined;
let page: Page;
let api: ModelApi | undefined;

function cli(args: string[]): Promise<CliRun> {
  return runCli(args, { env });
}

async function ok(args: string[]): Promise<string> {
  const run = await cli(args);
  if (run.code !== 0) throw new Error(`${args.join(" ")} exited ${run.code}:\n${run.stderr.slice(-4000)}`);
  return run.stdout;
}

async function inside(name: string, script: string): Promise<string> {
  return (await ok(["shell", name, "--", "bash", "-c", script])).trim();
}

function git(...args: string[]): string {
  return execFileSync("git", ["-C", repo, ...args], { encoding: "utf8", env }).trim();
}

function testBed(egress: "log" | "open"): string[] {
  const image = process.env.AGENT_DC_TEST_BASE_IMAGE;
  const mirror = process.env.AGENT_DC_TEST_NODE_MIRROR;
  if (!image || !mirror) throw new Error("the e2e global setup did not provide the test bed");
  return ["--local-features", "--base-image", image, "--node-mirror", mirror, "--egress", egress];
}

function containerExists(name: string): boolean {
  try {
    docker("container", "inspect", "--format", "{{.Id}}", name);
    return true;
  } catch {
    return false;
  }
}

/** `ui --no-open` as a user runs it; resolves with the URL it prints. */
function startDashboard(): Promise<string> {
  return new Promise((resolve, reject) => {
    // The test bed's base image and Node.js mirror reach the form's launches as a user's environment would carry them.
    const bed = { [ENV_BASE_IMAGE]: process.env.AGENT_DC_TEST_BASE_IMAGE, [ENV_NODE_MIRROR]: process.env.AGENT_DC_TEST_NODE_MIRROR };
    ui = spawn(process.execPath, cliArgs(["ui", "--no-open"]), { env: { ...env, ...bed }, cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    ui.stdout!.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes("\n")) resolve(stdout.split("\n")[0]!);
    });
    ui.stderr!.on("data", (d: Buffer) => (uiLog += d.toString()));
    ui.on("error", reject);
    ui.on("close", (code) => reject(new Error(`ui exited ${code}:\n${uiLog}`)));
    setTimeout(() => reject(new Error(`ui printed no URL in 60 s:\n${uiLog}`)), 60_000).unref();
  });
}

/** A raw request, so the test sets Host, Origin and Cookie itself. */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string }): Promise<number> {
  const port = Number(new URL(origin).port);
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: options.method ?? "GET", headers: { host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

async function open(name: string): Promise<void> {
  await page.click(`a[href="#c/${name}"]`);
  await page.waitForFunction((n) => document.querySelector("#d-name")?.textContent === n, name);
}

/** Runs an action button and returns the page's one-line answer. */
async function action(which: string): Promise<string> {
  await page.click(`[data-action="${which}"]`);
  return settled();
}

async function settled(): Promise<string> {
  await page.waitForFunction(() => !(document.querySelector("#d-message")?.textContent ?? "…").endsWith("…"), undefined, { timeout: 10 * 60_000 });
  return (await page.textContent("#d-message")) ?? "";
}

describe.skipIf(!inject("docker"))("the review dashboard, in a real browser", () => {
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "cad-ui-"));
    const home = join(root, "home");
    mkdirSync(home);
    writeFileSync(join(home, ".gitconfig"), "[user]\n\tname = Host User\n\temail = host@example.com\n[safe]\n\tdirectory = *\n");
    api = await startModelApi(bridgeGateway());
    // Token auth: the key reaches the container per exec, from the environment of whoever starts the task (the ui).
    env = { ...process.env, HOME: home, XDG_STATE_HOME: join(root, "state"), GIT_CONFIG_NOSYSTEM: "1", ANTHROPIC_API_KEY: KEY };
    repo = join(root, REPO);
    mkdirSync(join(repo, "src"), { recursive: true });
    execFileSync("git", ["init", "-q", "-b", "main", repo], { env });
    writeFileSync(join(repo, "src", "app.ts"), 'const greeting = "hello";\nconsole.log(greeting);\n');
    git("add", ".");
    git("commit", "-qm", "initial");
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });

    // A behind an egress enforcer in log mode (its log and blocked count on the page), B with open egress.
    const gateway = ["--auth", "token", "--agent-env", `ANTHROPIC_BASE_URL=${api.url}`, "--agent-env", "CLAUDE_CODE_MAX_RETRIES=0"];
    for (const launched of await Promise.all([
      cli(["launch", repo, "--agent", A, "--branch", "ui", "--json", ...testBed("log")]),
      cli(["launch", repo, "--agent", B, "--branch", "ui", ...gateway, "--json", ...testBed("open")]),
    ])) {
      if (launched.code !== 0) throw new Error(`launch failed (${launched.code}):\n${launched.stderr.slice(-4000)}`);
    }
    url = await startDashboard();
    origin = new URL(url).origin;
    token = new URL(url).searchParams.get("token") ?? "";
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 }, permissions: ["clipboard-read", "clipboard-write"] });
    page.on("dialog", (dialog) => void dialog.accept());
    await page.goto(url);
  });

  afterAll(async () => {
    await browser?.close();
    if (ui?.pid && ui.exitCode === null) ui.kill("SIGTERM");
    for (const name of [...Object.values(NAMES), FORM_NAME]) {
      await cli(["rm", "--force", "--keep-image", name]);
    }
    await api?.close();
    rmSync(root, { recursive: true, force: true });
    console.log(`dashboard screenshots: ${ARTIFACTS}`);
  });

  it("prints a loopback URL with a token, and lists both containers live with their states", async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
    expect(page.url()).toBe(`${origin}/`); // the token left the address bar for a cookie
    for (const name of Object.values(NAMES)) await page.waitForSelector(`#list tr[data-name="${name}"]`);
    const rows = await page.$$eval("#list tbody tr", (trs) => trs.map((tr) => [...tr.querySelectorAll("th, td")].map((cell) => cell.textContent)));
    const ours = rows.filter((cells) => Object.values(NAMES).includes(cells[0] as never)).sort();
    expect(ours.map((cells) => [cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]])).toEqual(
      [
        [NAMES.a, A, REPO, `${A}/ui`, "running", "—"],
        [NAMES.b, B, REPO, `${B}/ui`, "running", "—"],
      ].sort(),
    );
    expect(await page.textContent("#live")).toMatch(/^live · \d+ containers?$/);
    await page.screenshot({ path: join(ARTIFACTS, "list.png") });
  });

  it("records each launch's engine, and leaves another engine's launch to it: list names it, rm refuses it, prune keeps its state", async () => {
    const launches = join(root, "state", "create-agent-devcontainer", "launch");
    const record = JSON.parse(readFileSync(join(launches, NAMES.a, "launch.json"), "utf8")) as { engine?: { id: string; name: string } };
    expect(record.engine).toEqual({ id: docker("info", "--format", "{{.ID}}"), name: docker("info", "--format", "{{.Name}}") });
    // Two launches whose containers this engine does not have: one recorded on another engine, one from before records named one.
    const [elsewhere, legacy] = [`codex-${REPO}-elsewhere`, `codex-${REPO}-legacy`];
    const { engine: _, ...legacyRecord } = { ...record, createdAt: "2026-01-01T00:00:00.000Z" };
    for (const [name, content] of [[elsewhere, { ...legacyRecord, name: elsewhere, engine: { id: "OTHER-ENGINE", name: "elsewhere-host" } }], [legacy, { ...legacyRecord, name: legacy }]] as const) {
      mkdirSync(join(launches, name), { mode: 0o700 });
      writeFileSync(join(launches, name, "launch.json"), JSON.stringify(content));
    }
    try {
      expect((await cli(["list"])).stderr).toContain(`1 launch of another Docker engine is not shown: ${elsewhere} on elsewhere-host (ID OTHER-ENGINE)`);
      const rm = await cli(["rm", elsewhere]);
      expect([rm.code, rm.stderr]).toEqual([1, expect.stringContaining(`${elsewhere} was launched on another Docker engine, elsewhere-host (ID OTHER-ENGINE); this one is`)]);
      const wouldGo = async (name: string) => (JSON.parse(await ok(["prune", join(launches, name), "--dry-run", "--keep-images", "--json"])) as { removed: { kind: string; name: string }[] }).removed;
      expect(await wouldGo(elsewhere)).toEqual([]);
      expect(await wouldGo(legacy)).toEqual([{ kind: "launch state", name: legacy }]);
      expect(existsSync(join(launches, elsewhere, "launch.json"))).toBe(true);
    } finally {
      for (const name of [elsewhere, legacy]) rmSync(join(launches, name), { recursive: true, force: true });
    }
  });

  it("syncs from the page, keyboard only, as `sync` does, and then shows the branch's diff", async () => {
    const head = await inside(NAMES.a, `printf 'const greeting = "hello, world";\\nexport function greet(): string {\\n  return greeting; // from the agent\\n}\\nconsole.log(greet());\\n' > src/app.ts && git commit -qam 'greet the world' && git push -q 2>&1 && git rev-parse HEAD`);
    await page.focus(`a[href="#c/${NAMES.a}"]`);
    await page.keyboard.press("Enter");
    await page.waitForFunction((n) => document.activeElement?.id === "d-name" && document.activeElement.textContent === n, NAMES.a);
    await page.keyboard.press("Tab"); // the first action: Sync
    expect(await page.evaluate("document.activeElement.dataset.action")).toBe("sync");
    await page.keyboard.press("Enter");
    expect(await settled()).toBe(`${NAMES.a}: imported ${A}/ui at ${head.split("\n").pop()!.slice(0, 12)} into ${join(repo, ".git")}`);
    expect(git("rev-parse", `refs/heads/${A}/ui`)).toBe(head.split("\n").pop());

    await page.focus("#tab-transcript");
    await page.keyboard.press("ArrowRight"); // to the Diff tab
    await page.waitForSelector("#panel-diff details.file");
    expect(await page.$$eval("#panel-diff .files li", (items) => items.map((li) => li.textContent))).toEqual(["src/app.ts M +5 −2"]);
    const added = await page.$$eval("#panel-diff .ln.add .txt", (lines) => lines.map((line) => line.textContent));
    expect(added).toEqual(['const greeting = "hello, world";', "export function greet(): string {", "  return greeting; // from the agent", "}", "console.log(greet());"]);
    expect(await page.textContent("#panel-diff .ln.add .t-com")).toBe("// from the agent");
    await page.waitForFunction((n) => document.querySelector(`#list tr[data-name="${n}"] td:nth-of-type(7)`)?.textContent === "1", NAMES.a, { timeout: 30_000 });
    await page.screenshot({ path: join(ARTIFACTS, "diff.png"), fullPage: true });
  });

  it("shows a container's egress log and its blocked count, live", async () => {
    // The cloud metadata address is blocked in every mode, log included.
    await inside(NAMES.a, "curl -sS --max-time 10 http://169.254.169.254/latest/meta-data/ >/dev/null 2>&1 || timeout 10 bash -c 'echo > /dev/tcp/169.254.169.254/80' 2>/dev/null || true");
    await page.waitForFunction((n) => document.querySelector(`#list tr[data-name="${n}"] td:nth-of-type(8)`)?.textContent === "1", NAMES.a, { timeout: 60_000 });
    expect(await page.textContent(`#list tr[data-name="${NAMES.b}"] td:nth-of-type(8)`)).toBe("—"); // open: no enforcer
    await open(NAMES.a);
    await page.click("#tab-egress");
    await page.waitForSelector("#panel-egress table.log");
    expect(await page.textContent("#panel-egress p")).toBe("Egress mode: log");
    const blocked = await page.$$eval("#panel-egress table.log tbody tr.blocked td:nth-of-type(3)", (cells) => cells.map((cell) => cell.textContent));
    expect(blocked).toContain("169.254.169.254:80");
    await page.screenshot({ path: join(ARTIFACTS, "egress.png") });
  });

  it("allows a blocked host from the egress tab once confirmed, as `egress allow --save` does: the next connection goes through", async () => {
    // In log mode the Docker host's address is refused unless listed: the scripted model API listens there.
    const target = new URL(api!.url);
    const fetchStatus = () => inside(NAMES.a, `curl -sS --max-time 10 -o /dev/null -w '%{http_code}' ${api!.url}/ || true`);
    expect(await fetchStatus()).toBe("403");
    await open(NAMES.a);
    await page.click("#tab-egress");
    const row = `#panel-egress table.blocked tr[data-host="${target.hostname}"]`;
    await page.waitForSelector(`${row} button.allow`, { timeout: 30_000 });
    await page.check("#allow-save");
    await page.click(`${row} button.allow`);
    const policy = join(repo, ".devcontainer", "egress.toml");
    expect(await settled()).toBe(`${NAMES.a}: now allowed: ${target.host} (takes effect on the next connection); saved in ${policy}: review and commit it`);
    await page.waitForSelector(row, { state: "detached", timeout: 30_000 });
    expect(await fetchStatus()).toBe("200");
    const log = JSON.parse(await ok(["egress", NAMES.a, "--json"])) as { connections: { host: string; port: number; verdict: string }[]; blocked: { host: string }[] };
    const verdicts = log.connections.filter((c) => c.host === target.hostname && c.port === Number(target.port)).map((c) => c.verdict);
    expect([verdicts[0], verdicts.at(-1)]).toEqual(["blocked", "allowed"]);
    expect(log.blocked.map((b) => b.host)).not.toContain(target.hostname);
    expect(readFileSync(policy, "utf8")).toContain(`"${target.host}",`);
    rmSync(join(repo, ".devcontainer"), { recursive: true }); // the repository as it was, for the tests after
  });

  it("escapes what the agent wrote everywhere the host shows it, and names its .devcontainer change with the warning", async () => {
    // As a prompt-injected agent would: a file named with OSC 52, content full of escape sequences, a change
    // to the Dev Container config (initializeCommand runs on the host at the next `up`), and OSC 52 printed
    // into the container's own output (its main process runs as the agent user).
    const tip = (
      await inside(
        NAMES.a,
        [
          "set -e",
          String.raw`name=$(printf '\033]52;c;aGk=\a.txt')`,
          String.raw`printf 'ok\033]52;c;aGk=\a\033[2J\033]0;PWNED\a\302\233?1049h\rfaked\n' > "$name"`,
          "mkdir -p .devcontainer",
          `echo '{ "image": "debian", "initializeCommand": "touch /tmp/host-run-by-agent" }' > .devcontainer/devcontainer.json`,
          "git add -A",
          String.raw`git commit -qm "$(printf 'innocent\033]52;c;aGk=\a')"`,
          "git push -q 2>&1",
          String.raw`printf '\033]52;c;aGk=\a container says hi\n' > /proc/1/fd/1`,
          "git rev-parse HEAD",
        ].join("\n"),
      )
    ).split("\n").pop()!;
    expect(docker("logs", NAMES.a)).toContain("\u001b]52;c;aGk=\u0007 container says hi");
    // And into B's next task transcript: a clean filter of its own repository prints OSC 52 as the task's finish runs `git add`.
    await inside(NAMES.b, String.raw`git config filter.osc.clean "printf ']52;c;aGk=' >&2; cat" && echo '* filter=osc' >> .git/info/attributes`);
    const RAW = /[\u0007\u001b\u0080-\u009f]|\r(?!\n)/;
    const clean = (run: CliRun, what: string) => {
      expect(run.code, `${what}: ${run.stderr}`).toBe(0);
      expect(run.stdout, `${what}'s stdout`).not.toMatch(RAW);
      expect(run.stderr, `${what}'s stderr`).not.toMatch(RAW);
      return run;
    };
    const warning = /warning: the branch changes \.devcontainer\/devcontainer\.json: these run on your machine .* at the next `up`/;

    const sync = clean(await cli(["sync", NAMES.a]), "sync");
    expect(sync.stderr).toContain(`${NAMES.a}: imported ${A}/ui`);
    expect(sync.stderr).toMatch(warning);
    expect(git("rev-parse", `refs/heads/${A}/ui`)).toBe(tip); // the import still happens: the user decides
    expect(existsSync(join(repo, ".devcontainer"))).toBe(false);

    const diff = clean(await cli(["diff", NAMES.a]), "diff");
    expect(diff.stderr).toMatch(warning);
    expect(diff.stdout).toContain('diff --git "a/\\033]52;c;aGk=\\a.txt" "b/\\033]52;c;aGk=\\a.txt"');
    expect(diff.stdout).toContain("+ok\\x1b]52;c;aGk=\\x07\\x1b[2J\\x1b]0;PWNED\\x07\\x9b?1049h\\x0dfaked\n");
    const stat = clean(await cli(["diff", "--stat", NAMES.a]), "diff --stat");
    expect(stat.stdout).toMatch(/ A \.devcontainer\/devcontainer\.json +\| \+1 -0 {2}\(runs on the host\)/);
    expect(stat.stdout).toContain(' A "\\033]52;c;aGk=\\a.txt"');
    const logs = clean(await cli(["logs", NAMES.a]), "logs");
    expect(logs.stdout).toContain("\\x1b]52;c;aGk=\\x07 container says hi");
    const list = clean(await cli(["list", "--json"]), "list --json");
    expect((JSON.parse(list.stdout) as { name: string; hostRun?: string[] }[]).find((row) => row.name === NAMES.a)?.hostRun).toEqual([".devcontainer/devcontainer.json"]);

    await open(NAMES.a);
    await page.waitForFunction((n) => document.querySelector(`#list tr[data-name="${n}"] td:nth-of-type(9)`)?.textContent === "1!", NAMES.a, { timeout: 30_000 });
    await page.waitForFunction(() => (document.querySelector("#d-hostrun")?.textContent ?? "").includes(".devcontainer/devcontainer.json"), undefined, { timeout: 30_000 });
    await page.click("#tab-diff");
    await page.waitForSelector("#panel-diff .host-run-notice");
    expect(await page.textContent("#panel-diff .host-run-notice")).toMatch(warning);
    const files = await page.$$eval("#panel-diff .files li", (items) => items.map((li) => li.textContent));
    expect(files.slice(0, 2)).toEqual(['"\\033]52;c;aGk=\\a.txt" A +1 −0', ".devcontainer/devcontainer.json A +1 −0 runs on the host"]);
    expect(await page.$$eval("#panel-diff .ln.add .txt", (lines) => lines.map((line) => line.textContent))).toContain("ok\\x1b]52;c;aGk=\\x07\\x1b[2J\\x1b]0;PWNED\\x07\\x9b?1049h\\x0dfaked");
    expect(await page.content()).not.toMatch(RAW);
    await page.screenshot({ path: join(ARTIFACTS, "host-run.png"), fullPage: true });
  });

  it("starts a task from the page and shows its transcript growing while it runs, then its diff once done", async () => {
    await open(NAMES.b);
    await page.click("#tab-transcript"); // the page keeps the tab last shown: the diff, from the test before
    // The model holds its answers until the page has shown the task running: the scripted task takes seconds.
    const release = api!.pause();
    await page.fill("#task-prompt", PROMPT);
    await page.click('#task-form button[type="submit"]');
    await page.waitForFunction(() => /task \d/.test(document.querySelector("#d-message")?.textContent ?? ""));
    expect(await page.textContent("#d-message")).toBe(`${NAMES.b}: task 1 running`);

    // What a person would see, sampled until the list says the task ended (at most 5 minutes).
    const taskCell = `#list tr[data-name="${NAMES.b}"] td:nth-of-type(5)`;
    const seen: { text: string; task: string }[] = [];
    for (let i = 0; i < 1200; i += 1) {
      const sample = { text: (await page.textContent("#transcript")) ?? "", task: (await page.textContent(taskCell)) ?? "" };
      seen.push(sample);
      if (/^(done|failed|needs-login)/.test(sample.task)) break;
      if (sample.task === "running #1" && sample.text !== "") release();
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    release();
    expect(seen.at(-1)!.task, seen.at(-1)!.text).toBe("done #1");
    await page.waitForFunction(() => (document.querySelector("#transcript")?.textContent ?? "").includes("[task 1] done"), undefined, { timeout: 30_000 });
    const final = (await page.textContent("#transcript")) ?? "";
    const whileRunning = seen.filter((sample) => sample.task === "running #1" && sample.text !== "");
    expect(whileRunning.length).toBeGreaterThan(0);
    expect(whileRunning[0]!.text).toMatch(new RegExp(`^\\n=== task 1 in ${NAMES.b}, .* ===\\n${PROMPT}\\n---\\n`));
    // The first sample seen running was taken before the model answered: the page's text grew from it, live.
    expect(final.startsWith(whileRunning[0]!.text)).toBe(true);
    expect(seen.some((sample) => sample.text.length > whileRunning[0]!.text.length)).toBe(true);
    expect(final).toContain(`${B}/ui at `);
    // The agent's OSC 52 (its git filter, run by the finish) is in the transcript as visible text, on the page and in `logs`.
    expect(final).toContain("\\x1b]52;c;aGk=\\x07");
    expect(await page.content()).not.toMatch(/[\u0007\u001b\u0080-\u009f]/);
    const logs = await cli(["logs", NAMES.b]);
    expect(logs.stdout).toContain("\\x1b]52;c;aGk=\\x07");
    expect(logs.stdout).not.toMatch(/[\u0007\u001b\u0080-\u009f]/);
    await page.screenshot({ path: join(ARTIFACTS, "transcript.png") });

    await page.click("#tab-diff");
    await page.waitForSelector("#panel-diff details.file");
    expect(await page.$$eval("#panel-diff .files li", (items) => items.map((li) => li.textContent))).toEqual(["notes/from-agent.txt A +1 −0"]);
    expect(await page.$$eval("#panel-diff .ln.add .txt", (lines) => lines.map((line) => line.textContent))).toEqual([SCRIPTED_CONTENT.trim()]);
    expect(git("show", `refs/heads/${B}/ui:notes/from-agent.txt`)).toBe(SCRIPTED_CONTENT.trim());
    await page.waitForFunction((n) => document.querySelector(`#list tr[data-name="${n}"] td:nth-of-type(7)`)?.textContent === "1", NAMES.b, { timeout: 30_000 });
  });

  it("stops a container while the list answers, starts it from the page, gives VS Code's URI when `code` is not on PATH, and copies the shell command", async () => {
    await open(NAMES.b);
    // The stop as the page posts it, and the list asked for again and again until the stop answers. The stop is
    // sent first, so every list is asked while it runs; one answered before the stop finished shows that the
    // stop (its import, its `docker stop`) holds up no other request. Ordering, not a time limit: the times are printed.
    const headers = { cookie: `cadc_ui=${token}`, origin, "content-type": "application/json", "sec-fetch-site": "same-origin" };
    const sent = performance.now();
    let stopped = 0;
    const stop = raw(`/api/c/${NAMES.b}/stop`, { method: "POST", headers, body: "{}" }).then((status) => ((stopped = performance.now()), status));
    const lists: { status: number; ms: number; end: number }[] = [];
    for (let i = 0; i < 200 && stopped === 0; i += 1) {
      const start = performance.now();
      const status = await raw("/api/list", { headers: { cookie: headers.cookie } });
      lists.push({ status, ms: performance.now() - start, end: performance.now() });
    }
    expect(await stop).toBe(200);
    const during = lists.filter((list) => list.end < stopped);
    console.log(`/api/list while a stop ran: ${during.map((list) => Math.round(list.ms)).join(", ")} ms; the stop took ${Math.round(stopped - sent)} ms`);
    expect(during.length).toBeGreaterThan(0);
    expect(during.map((list) => list.status)).toEqual(during.map(() => 200));
    expect(docker("container", "inspect", "--format", "{{.State.Running}}", NAMES.b)).toBe("false");
    await page.waitForFunction((n) => document.querySelector(`#list tr[data-name="${n}"] td:nth-of-type(4)`)?.textContent === "exited", NAMES.b, { timeout: 30_000 });
    expect(await action("start")).toBe(`started ${NAMES.b}`);
    expect(docker("container", "inspect", "--format", "{{.State.Running}}", NAMES.b)).toBe("true");
    await page.waitForFunction((n) => document.querySelector(`#list tr[data-name="${n}"] td:nth-of-type(4)`)?.textContent === "running", NAMES.b, { timeout: 30_000 });
    expect(await action("code")).toMatch(/^VS Code's `code` command is not on PATH; open this URI in VS Code: vscode-remote:\/\/attached-container\+[0-9a-f]+\/workspace$/);
    await page.click("#copy-shell");
    await page.waitForFunction(() => (document.querySelector("#d-message")?.textContent ?? "").startsWith("copied: "));
    expect(await page.textContent("#d-message")).toBe(`copied: create-agent-devcontainer shell ${NAMES.b}`);
    expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(`create-agent-devcontainer shell ${NAMES.b}`);
  });

  it("refuses to remove a container with unimported work, as `rm` does, and removes it once its work is pushed", async () => {
    const head = (await inside(NAMES.b, "echo notes > notes.txt && git add notes.txt && git commit -qm 'unpushed notes' && git rev-parse HEAD")).split("\n").pop()!;
    await open(NAMES.b);
    expect(await action("remove")).toBe(
      `${NAMES.b} has 0 uncommitted file(s) and 1 unpushed commit(s) on ${B}/ui; nothing was removed (push them first (git push in the workspace), or remove with "delete unimported work" ticked)`,
    );
    expect(containerExists(NAMES.b)).toBe(true);

    await inside(NAMES.b, "git push -q 2>&1");
    await action("remove");
    await page.waitForFunction(() => location.hash === "");
    expect(containerExists(NAMES.b)).toBe(false);
    expect(existsSync(join(root, "state", "create-agent-devcontainer", "launch", NAMES.b))).toBe(false);
    expect(git("rev-parse", `refs/heads/${B}/ui`)).toBe(head); // imported on the way, as `rm` does
    await page.waitForSelector(`#list tr[data-name="${NAMES.b}"]`, { state: "detached", timeout: 30_000 });
  });

  it("runs `launch` from its form, keyboard only, and shows launch's one-line refusal of a bad repository", async () => {
    await page.focus("#open-launch");
    await page.keyboard.press("Enter");
    await page.waitForSelector('#launch-agents input[value="codex"]');
    await page.keyboard.type(`no-such-repo-${RUN}`); // the dialog opened on its first field, the repository
    await page.focus('#launch-agents input[value="codex"]');
    await page.keyboard.press("Space");
    await page.focus('#launch-form input[name="branch"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector("#jobs li.failed", { timeout: 60_000 });
    expect(await page.textContent("#jobs li.failed")).toMatch(new RegExp(`^#1 failed: launch --agent=codex no-such-repo-${RUN}`));
    expect(await page.textContent("#jobs li.failed pre")).toContain(`create-agent-devcontainer: no such folder, and not a git URL: no-such-repo-${RUN}`);
  });

  it("launches from its form with an auth mode and a gateway, as --auth and --agent-env do, refusing an http:// gateway under broker with the CLI's line", async () => {
    await page.click("#open-launch");
    await page.waitForSelector('#launch-agents select[name="auth-claude"]');
    await page.fill('#launch-form input[name="source"]', repo);
    await page.check('#launch-agents input[value="claude"]');
    await page.fill('#launch-form input[name="branch"]', "form");
    await page.selectOption('#launch-agents select[name="auth-claude"]', "broker");
    await page.fill('#launch-agents input[name="gateway-claude"]', api!.url);
    await page.click('#launch-form button[type="submit"]');
    await page.waitForFunction(() => (document.querySelector("#launch-message")?.textContent ?? "") !== "");
    expect(await page.textContent("#launch-message")).toBe(`--agent-env ANTHROPIC_BASE_URL=${api!.url} is not https://, so the broker cannot put claude's key into its requests: use an https:// URL, or --auth claude=token`);
    expect(await page.$$eval("#jobs li", (items) => items.length)).toBe(1); // nothing started

    await page.selectOption('#launch-agents select[name="auth-claude"]', "token");
    await page.click('#launch-form button[type="submit"]');
    await page.waitForSelector("#jobs li:nth-of-type(2):not(.running)", { timeout: 10 * 60_000 });
    const job = (await page.textContent("#jobs li:nth-of-type(2)")) ?? "";
    expect(job).toMatch(new RegExp(`^#2 done: launch --agent=claude --branch=form --auth=claude=token --agent-env=ANTHROPIC_BASE_URL=${api!.url.replace(/\./g, "\\.")} ${repo}`));
    expect(docker("container", "inspect", "--format", `{{index .Config.Labels "${authLabel("claude")}"}}`, FORM_NAME)).toBe("token");
    expect(await inside(FORM_NAME, "printenv ANTHROPIC_BASE_URL")).toBe(api!.url);
  });

  it("answers 403 without the token, to another origin's request and to a foreign Host, and runs nothing", async () => {
    const sync = `/api/c/${NAMES.a}/sync`;
    const json = { cookie: `cadc_ui=${token}`, origin, "content-type": "application/json", "sec-fetch-site": "same-origin" };
    expect(await raw("/api/list", {})).toBe(403);
    expect(await raw("/", {})).toBe(403);
    expect(await raw(sync, { method: "POST", headers: { ...json, cookie: "" }, body: "{}" })).toBe(403);
    expect(await raw(sync, { method: "POST", headers: { ...json, origin: "http://evil.example" }, body: "{}" })).toBe(403);
    expect(await raw("/api/list", { headers: { cookie: `cadc_ui=${token}`, host: `rebound.example:${new URL(origin).port}` } })).toBe(403);
    expect(await raw("/api/list", { headers: { cookie: `cadc_ui=${token}` } })).toBe(200);

    // A page on another local port, as a hostile local dev server would serve: both its posts are refused.
    const attacker: Server = createServer((_, res) => res.end("<!doctype html><title>attacker</title>"));
    await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.1", resolve));
    try {
      const other = await browser!.newPage();
      await other.goto(`http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`);
      const before = uiLog.length;
      await other.evaluate(async (target) => {
        for (const type of ["application/json", "text/plain"]) {
          await fetch(target, { method: "POST", credentials: "include", mode: "no-cors", headers: { "content-type": type }, body: "{}" }).catch(() => undefined);
        }
      }, `${origin}${sync}`);
      await other.close();
      const refusals = () => uiLog.slice(before).split(`refused POST ${sync}: `).length - 1;
      for (let i = 0; i < 50 && refusals() < 2; i += 1) await new Promise((resolve) => setTimeout(resolve, 100)); // its log line comes through a pipe
      expect(refusals()).toBe(2);
      expect(uiLog.slice(before)).not.toContain("imported");
    } finally {
      attacker.close();
    }
  });
});
