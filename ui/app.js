// The dashboard page: no framework, no build step. Everything shown that came from a container (names,
// transcripts, diffs, hosts) goes into the page as text nodes only, never as HTML, and arrives with its
// control characters already escaped by the server (src/ui/server.ts pageJson).
import { languageOf, parsePatch, tokens } from "./diff.js";

const $ = (selector) => document.querySelector(selector);
const state = { rows: [], selected: "", tab: "transcript", transcriptNext: 0, transcriptFor: "", timer: 0, saveAllow: false };

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child instanceof Node ? child : String(child));
  return node;
}

async function api(path, body) {
  const init = body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, init);
  const value = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw Object.assign(new Error(value.error ?? `HTTP ${response.status}`), { hint: value.hint });
  return value;
}

function duration(from, to = Date.now()) {
  const s = Math.max(0, Math.round((to - Date.parse(from)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d`;
}

function elapsed(row) {
  return row.task ? duration(row.task.startedAt, row.task.endedAt ? Date.parse(row.task.endedAt) : Date.now()) : duration(row.createdAt);
}

// ---- the list

function renderList() {
  const body = $("#list tbody");
  body.replaceChildren(
    ...state.rows.map((row) => {
      const task = row.task ? h("span", { class: `pill ${row.task.state}`, title: row.task.reason ?? row.task.prompt }, `${row.task.state} #${row.task.id}`) : "—";
      const blocked = row.egress ? (row.egress.blocked > 0 ? h("span", { class: "pill failed", title: `egress ${row.egress.mode}` }, String(row.egress.blocked)) : h("span", { title: `egress ${row.egress.mode}` }, "0")) : h("span", { title: "egress open" }, "—");
      return h(
        "tr",
        { "data-name": row.name, "aria-current": row.name === state.selected ? "true" : undefined },
        h("th", { scope: "row" }, h("a", { href: `#c/${encodeURIComponent(row.name)}` }, row.name)),
        h("td", {}, row.agent),
        h("td", { class: "clip", title: row.repo }, row.repo),
        h("td", { class: "clip", title: row.branch }, row.branch),
        h("td", {}, h("span", { class: `pill ${row.state}` }, row.state), row.login ? [" ", h("span", { class: "pill failed", title: row.login }, "login")] : ""),
        h("td", {}, task),
        h("td", { class: "elapsed num" }, elapsed(row)),
        h("td", { class: "num" }, row.ahead ?? "—"),
        h("td", { class: "num" }, blocked),
        h("td", { class: "num" }, row.hostRun ? h("span", { class: "pill failed", title: row.hostRun.notice }, `${row.hostRun.paths.length}!`) : "—"),
      );
    }),
  );
  $("#empty").hidden = state.rows.length > 0;
  if (!performance.getEntriesByName("list-rendered").length) performance.mark("list-rendered");
  if (state.selected) renderDetailHead();
}

function tickElapsed() {
  document.querySelectorAll("#list tbody tr").forEach((tr, index) => {
    const row = state.rows[index];
    if (row) tr.querySelector(".elapsed").textContent = elapsed(row);
  });
}

function showRows(rows) {
  state.rows = rows;
  $("#live").textContent = `live · ${rows.length} container${rows.length === 1 ? "" : "s"}`;
  renderList();
}

/** The first list comes preloaded (see index.html), the rest as server-sent events when it changes. */
function listen() {
  let streamed = false;
  api("/api/list")
    .then((rows) => streamed || showRows(rows))
    .catch(() => undefined);
  const source = new EventSource("/api/events");
  source.addEventListener("list", (event) => {
    streamed = true;
    showRows(JSON.parse(event.data));
  });
  source.onerror = () => ($("#live").textContent = "reconnecting…");
}

// ---- one container

function selectedRow() {
  return state.rows.find((row) => row.name === state.selected);
}

function route() {
  const match = /^#c\/(.+)$/.exec(location.hash);
  const name = match ? decodeURIComponent(match[1]) : "";
  if (name === state.selected) return;
  state.selected = name;
  state.transcriptNext = 0;
  $("#transcript").textContent = "";
  $("#d-message").textContent = "";
  $("#force").checked = false;
  $("#detail").hidden = !name;
  renderList();
  if (!name) return;
  renderDetailHead();
  $("#d-name").focus();
  showTab(state.tab);
}

function renderDetailHead() {
  const row = selectedRow();
  $("#d-name").textContent = state.selected;
  const meta = row ? [`${row.agent} on ${row.branch}`, row.repo, `container ${row.state}`, row.task ? `task ${row.task.id} ${row.task.state}: ${row.task.prompt}` : "no task", row.task?.reason] : ["gone: no longer listed"];
  $("#d-meta").textContent = meta.filter(Boolean).join(" · ");
  $("#d-hostrun").textContent = row?.hostRun?.notice ?? "";
  $("#d-hostrun").hidden = !row?.hostRun;
  $("#d-login").textContent = row?.login ?? "";
  $("#d-login").hidden = !row?.login;
  const running = row?.state === "running";
  $('[data-action="stop"]').disabled = !running;
  $('[data-action="start"]').disabled = !row || running;
  $('[data-action="code"]').disabled = !running;
}

function showTab(tab) {
  state.tab = tab;
  for (const name of ["transcript", "diff", "egress"]) {
    const selected = name === tab;
    $(`#tab-${name}`).setAttribute("aria-selected", String(selected));
    $(`#tab-${name}`).tabIndex = selected ? 0 : -1;
    $(`#panel-${name}`).hidden = !selected;
  }
  clearTimeout(state.timer);
  if (tab === "transcript") pollTranscript();
  if (tab === "diff") loadDiff();
  if (tab === "egress") loadEgress();
}

async function pollTranscript() {
  const name = state.selected;
  if (!name || state.tab !== "transcript") return;
  let delay = 5000;
  try {
    const part = await api(`/api/c/${encodeURIComponent(name)}/transcript?offset=${state.transcriptNext}`);
    if (name !== state.selected) return;
    const pre = $("#transcript");
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    if (part.offset === 0 && state.transcriptNext === 0) pre.textContent = "";
    if (part.text) pre.append(part.text);
    state.transcriptNext = part.next;
    if (atBottom) pre.scrollTop = pre.scrollHeight;
    // A long transcript comes in chunks: fetch the next at once; a running task's every second.
    delay = part.more ? 0 : part.task?.state === "running" || part.next > part.offset ? 1000 : 5000;
    pre.dataset.task = part.task?.state ?? "none";
  } catch (error) {
    $("#d-message").textContent = error.message;
  }
  clearTimeout(state.timer);
  state.timer = setTimeout(pollTranscript, delay);
}

// ---- diff

async function loadDiff() {
  const panel = $("#panel-diff");
  const name = state.selected;
  panel.replaceChildren(h("p", {}, "loading the diff…"));
  try {
    const diff = await api(`/api/c/${encodeURIComponent(name)}/diff`);
    if (name !== state.selected) return;
    if (diff.files.length === 0) return panel.replaceChildren(h("p", { class: "note" }, "No changes in the host repository yet (Sync imports what the agent pushed; a task's work is imported when it ends)."));
    // Names arrive quoted as git quotes them, the same in the file list and in the patch's headers.
    const patches = new Map(parsePatch(diff.patch).map((f) => [f.path, f]));
    const hostRun = new Set(diff.hostRun);
    const summary = h("ul", { class: "files" }, diff.files.map((f, i) => h("li", { class: hostRun.has(f.path) ? "host-run" : undefined }, h("a", { href: `#c/${encodeURIComponent(name)}`, "data-file": String(i) }, f.path), " ", h("span", { class: "st" }, f.status), " ", h("span", { class: "plus" }, `+${f.added}`), " ", h("span", { class: "minus" }, `−${f.removed}`), hostRun.has(f.path) ? [" ", h("span", { class: "pill failed" }, "runs on the host")] : "")));
    const blocks = diff.files.map((f, i) => {
      const language = languageOf(f.path);
      const lines = patches.get(f.path)?.lines ?? [];
      return h(
        "details",
        { class: "file", id: `file-${i}`, open: true },
        h("summary", {}, h("span", { class: "path" }, f.path), " ", h("span", { class: "plus" }, `+${f.added}`), " ", h("span", { class: "minus" }, `−${f.removed}`)),
        lines.length === 0 ? h("p", { class: "note" }, "binary or empty") : h("div", { class: "code", role: "table", "aria-label": `changes to ${f.path}` }, lines.map((l) => h("div", { class: `ln ${l.kind}`, role: "row" }, h("span", { class: "no" }, l.oldNo ?? ""), h("span", { class: "no" }, l.newNo ?? ""), h("span", { class: "txt" }, l.kind === "hunk" || l.kind === "meta" ? l.text : tokens(l.text, language).map(([kind, text]) => (kind ? h("span", { class: `t-${kind}` }, text) : text)))))),
      );
    });
    const warning = diff.hostRunNotice ? h("p", { class: "error host-run-notice", role: "alert" }, diff.hostRunNotice) : "";
    panel.replaceChildren(h("p", { class: "note" }, `${diff.files.length} file(s), ${diff.base.slice(0, 12)}..${diff.head.slice(0, 12)}${diff.truncated ? " (patch cut at 2 MB)" : ""}`), warning, summary, ...blocks);
  } catch (error) {
    panel.replaceChildren(h("p", { class: "error" }, error.message));
  }
}

async function loadEgress() {
  const panel = $("#panel-egress");
  const name = state.selected;
  try {
    const view = await api(`/api/c/${encodeURIComponent(name)}/egress`);
    if (name !== state.selected) return;
    const allowButton = (b) => h("button", { type: "button", class: "allow", "data-host": b.host, title: `allow ${b.entries.join(", ")} for this container (no restart)` }, "Allow");
    const save = h("label", { class: "force" }, h("input", { type: "checkbox", id: "allow-save", checked: state.saveAllow }), " also save to .devcontainer/egress.toml in the repository");
    const blocked = view.blocked.length ? [h("table", { class: "blocked" }, h("thead", {}, h("tr", {}, h("th", {}, "Blocked"), h("th", {}, "Attempts"), h("th", {}, "Allow with"), h("th", {}, ""))), h("tbody", {}, view.blocked.map((b) => h("tr", { "data-host": b.host }, h("td", {}, `${b.host} ${b.ports.map((p) => `:${p.port}`).join(", ")}`), h("td", { class: "num" }, b.attempts), h("td", {}, b.allow ? h("code", {}, b.allow) : "— (not a valid host name or address)"), h("td", {}, b.allow ? allowButton(b) : ""))))), save] : [h("p", {}, "Nothing blocked.")];
    const rows = view.connections.slice(-200).reverse().map((c) => h("tr", { class: c.verdict }, h("td", {}, c.time), h("td", {}, c.verdict), h("td", {}, `${c.host}:${c.port}`), h("td", {}, c.verdict !== "allowed" ? c.reason ?? "" : c.state === "open" ? "open" : `↑${c.up} ↓${c.down}`)));
    panel.replaceChildren(h("p", {}, `Egress mode: ${view.mode}`), ...blocked, rows.length ? h("table", { class: "log" }, h("thead", {}, h("tr", {}, h("th", {}, "Time"), h("th", {}, "Verdict"), h("th", {}, "Destination"), h("th", {}, "Bytes / reason"))), h("tbody", {}, rows)) : h("p", { class: "note" }, view.mode === "open" ? "No enforcer: egress is open and not logged." : "No connections yet."));
  } catch (error) {
    panel.replaceChildren(h("p", { class: "error" }, error.message));
  }
  clearTimeout(state.timer);
  state.timer = setTimeout(() => state.tab === "egress" && loadEgress(), 5000);
}

/** The Allow button of a blocked host: what `egress allow <name> <its entries> [--save]` does, once confirmed. */
async function allowHost(host) {
  const name = state.selected;
  const save = state.saveAllow;
  if (!confirm(`Let ${name} reach ${host} (every port it tried), from its next connection?${save ? "\nAlso saved to .devcontainer/egress.toml in the repository." : ""}`)) return;
  const message = $("#d-message");
  message.textContent = `allowing ${host}…`;
  message.className = "";
  try {
    message.textContent = (await api(`/api/c/${encodeURIComponent(name)}/allow`, { host, save })).message;
  } catch (error) {
    message.textContent = `${error.message}${error.hint ? ` (${error.hint})` : ""}`;
    message.className = "error";
  }
  if (state.tab === "egress" && name === state.selected) loadEgress();
}

// ---- actions

async function act(action) {
  const name = state.selected;
  const force = $("#force").checked;
  if (action === "remove" && !confirm(`Remove ${name}: its container, workspace and outbox?${force ? "\nUnimported work will be DELETED." : ""}`)) return;
  const message = $("#d-message");
  message.textContent = `${action}…`;
  message.className = "";
  try {
    const result = await api(`/api/c/${encodeURIComponent(name)}/${action}`, { force });
    message.textContent = result.uri ? `${result.message}: ${result.uri}` : result.message;
    if (action === "remove") location.hash = "";
    else if (state.tab === "diff") loadDiff();
  } catch (error) {
    message.textContent = `${error.message}${error.hint ? ` (${error.hint})` : ""}`;
    message.className = "error";
  }
}

async function startTask(event) {
  event.preventDefault();
  const message = $("#d-message");
  try {
    const result = await api(`/api/c/${encodeURIComponent(state.selected)}/task`, { prompt: $("#task-prompt").value });
    message.textContent = result.message;
    $("#task-prompt").value = "";
    showTab("transcript");
  } catch (error) {
    message.textContent = error.message;
    message.className = "error";
  }
}

async function launch(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  try {
    const agents = form.getAll("agent");
    const perAgent = (field) => Object.fromEntries(agents.map((id) => [id, form.get(`${field}-${id}`) ?? ""]).filter(([, value]) => value !== ""));
    const job = await api("/api/launch", { source: form.get("source"), agents, branch: form.get("branch"), prompt: form.get("prompt"), egress: form.get("egress"), auth: perAgent("auth"), gateway: perAgent("gateway") });
    $("#launch-dialog").close();
    event.target.reset();
    showJobs([job]);
    pollJobs();
  } catch (error) {
    $("#launch-message").textContent = error.message;
  }
}

function showJobs(jobs) {
  $("#jobs").hidden = jobs.length === 0;
  $("#jobs ul").replaceChildren(...jobs.map((job) => h("li", { class: job.state }, `#${job.id} ${job.state}: ${job.args.filter((a) => a !== "--").join(" ")}`, job.state === "running" ? "" : h("pre", {}, job.output.split("\n").slice(-6).join("\n")))));
}

async function pollJobs() {
  const jobs = await api("/api/jobs");
  showJobs(jobs);
  if (jobs.some((job) => job.state === "running")) setTimeout(pollJobs, 3000);
}

/** Filled on first opening: the list's first render does not wait for it. */
async function setUpLaunchForm() {
  if ($("#launch-agents input")) return;
  const meta = await api("/api/meta");
  // Per agent: its auth mode (as --auth <agent>=<mode>) and, where it takes one, its gateway's base URL (as --agent-env).
  $("#launch-agents").append(
    ...meta.agents.map((id) =>
      h(
        "div",
        { class: "agent-row" },
        h("label", {}, h("input", { type: "checkbox", name: "agent", value: id }), ` ${id}`),
        h("select", { name: `auth-${id}`, "aria-label": `${id} auth mode` }, h("option", { value: "" }, "auth: launch's default"), ...meta.authModes.map((mode) => h("option", { value: mode }, `auth: ${mode}`))),
        meta.gateways[id] ? h("input", { name: `gateway-${id}`, type: "url", autocomplete: "off", "aria-label": `${id} gateway base URL (${meta.gateways[id]})`, placeholder: `gateway: ${meta.gateways[id]}` }) : h("span", { class: "note" }, "no gateway setting"),
      ),
    ),
  );
  $('#launch-form select[name="egress"]').append(h("option", { value: "" }, "launch's default"), ...meta.egressModes.map((mode) => h("option", { value: mode }, mode)));
}

// ---- wiring

document.querySelectorAll("[data-action]").forEach((button) => button.addEventListener("click", () => act(button.dataset.action)));
$("#copy-shell").addEventListener("click", async () => {
  // Only a listed container's name, which is one shell word: the address bar's text never reaches the clipboard.
  const name = selectedRow()?.name;
  if (!name || !/^[a-z0-9][a-z0-9._-]*$/.test(name)) return void ($("#d-message").textContent = "no such container to copy a command for");
  const command = `create-agent-devcontainer shell ${name}`;
  try {
    await navigator.clipboard.writeText(command);
    $("#d-message").textContent = `copied: ${command}`;
  } catch {
    $("#d-message").textContent = command;
  }
});
$("#task-form").addEventListener("submit", startTask);
$("#launch-form").addEventListener("submit", launch);
$("#open-launch").addEventListener("click", async () => {
  $("#launch-dialog").showModal();
  await setUpLaunchForm().catch((error) => ($("#launch-message").textContent = error.message));
});
$("#close-launch").addEventListener("click", () => $("#launch-dialog").close());
const tabs = ["transcript", "diff", "egress"];
tabs.forEach((tab, index) => {
  const button = $(`#tab-${tab}`);
  button.addEventListener("click", () => showTab(tab));
  button.addEventListener("keydown", (event) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = tabs[(index + step + tabs.length) % tabs.length];
    showTab(next);
    $(`#tab-${next}`).focus();
  });
});
$("#panel-egress").addEventListener("click", (event) => {
  const host = event.target.closest?.("button.allow")?.dataset.host;
  if (host) allowHost(host);
});
$("#panel-egress").addEventListener("change", (event) => {
  if (event.target.id === "allow-save") state.saveAllow = event.target.checked;
});
$("#panel-diff").addEventListener("click", (event) => {
  const index = event.target.dataset?.file;
  if (index === undefined) return;
  event.preventDefault();
  $(`#file-${index}`).scrollIntoView();
  $(`#file-${index} summary`).focus();
});
addEventListener("hashchange", route);
setInterval(tickElapsed, 1000);
listen();
route();
