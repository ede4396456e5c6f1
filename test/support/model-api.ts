/**
 * A scripted model API: the real agent CLIs do real work offline against it. It speaks the wire formats
 * the CLIs expect — Anthropic's Messages API with streaming (Claude Code; Copilot CLI with its BYOK provider
 * type `anthropic`), OpenAI's Responses API with streaming (Codex), OpenAI's Chat Completions (Qwen Code) and
 * the Gemini API (Gemini CLI) — and replays one
 * conversation: a line of the user's prompt says `create <path>`; the model asks the CLI's own file-writing
 * tool to create that file (Claude's `Write`, Copilot's `create`, Qwen's and Gemini's `write_file`;
 * Codex's `apply_patch`, through its exec tool, which Codex intercepts and applies itself), then, once the
 * tool's result comes back, finishes.
 * The API key picks a failure instead: `fail-401` and `fail-500` answer every request with that status.
 */
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";

/** What each file the model creates holds. */
export const SCRIPTED_CONTENT = "written by the scripted model\n";
/** The model's last words, which the CLIs print. */
export const SCRIPTED_FINAL = "Created the file as asked.";

export interface ModelApi {
  url: string;
  /** Requests seen, as `METHOD path key` lines: which agent reached it, with which key. */
  seen: string[];
  /** Holds every answer until the returned function is called: a test sees a task while it runs. */
  pause(): () => void;
  close(): Promise<void>;
}

/** With `tls` (a certificate for `host`), the API speaks HTTPS: a gateway the credential broker can serve. */
export async function startModelApi(host: string, tls?: { key: string; cert: string }): Promise<ModelApi> {
  const seen: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  const pause = (): (() => void) => {
    let release = (): void => undefined;
    gate = new Promise((resolve) => (release = resolve));
    return release;
  };
  const listener: RequestListener = (request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => {
      const key = String(request.headers["x-api-key"] ?? request.headers["x-goog-api-key"] ?? request.headers.authorization ?? "").replace(/^Bearer /, "");
      seen.push(`${request.method} ${request.url} ${key}`);
      void gate.then(() => {
        try {
          answer(request, response, body, key);
        } catch (error) {
          response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: String(error) } }));
        }
      });
    });
  };
  const server: Server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(0, host, resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("model API has no port");
  return { url: `${tls ? "https" : "http"}://${host}:${address.port}`, seen, pause, close: () => closeServer(server) };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

function answer(request: IncomingMessage, response: ServerResponse, body: string, key: string): void {
  const failure = /^fail-(\d{3})$/.exec(key);
  if (request.method !== "POST") return void response.writeHead(200).end();
  if (failure) {
    const status = Number(failure[1]);
    const message = status === 401 ? "invalid x-api-key (scripted)" : "internal server error (scripted)";
    const type = status === 401 ? "authentication_error" : "api_error";
    return void response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ type: "error", error: { type, message } }));
  }
  const path = new URL(request.url ?? "/", "http://model").pathname;
  const json = JSON.parse(body) as Record<string, unknown>;
  if (path.endsWith("/messages")) return anthropic(response, json);
  if (path.endsWith("/responses")) return responses(response, json);
  if (path.endsWith("/chat/completions")) return chatCompletions(response, json);
  if (/:(stream)?[gG]enerateContent$/.test(path)) return gemini(response, json, path.endsWith(":streamGenerateContent"));
  if (path.endsWith(":countTokens")) return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ totalTokens: 1 }));
  response.writeHead(404).end();
}

/** A line `create <path>` in the prompt (the CLIs add text of their own around it): the file the model will ask for. */
function requestedFile(text: string): string | undefined {
  return /^create (\S+)$/m.exec(text)?.[1];
}

function sse(response: ServerResponse, events: readonly (readonly [string, unknown])[]): void {
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const [event, data] of events) response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  response.end();
}

// Anthropic Messages ------------------------------------------------------------------------------------

/** The file-writing tools of the CLIs that speak this API: Claude Code's, and Copilot CLI's (BYOK, type anthropic). */
const WRITE_TOOLS = [
  { name: "Write", input: (path: string, content: string) => ({ file_path: path, content }) },
  { name: "create", input: (path: string, content: string) => ({ path, file_text: content }) },
] as const;

interface AnthropicMessage {
  role: string;
  content: string | { type: string; text?: string }[];
}

function anthropic(response: ServerResponse, request: Record<string, unknown>): void {
  const messages = (request.messages ?? []) as AnthropicMessage[];
  const blocks = messages.flatMap((m) => (typeof m.content === "string" ? [{ type: "text", text: m.content }] : m.content));
  const tools = ((request.tools ?? []) as { name?: string }[]).map((tool) => tool.name);
  const done = blocks.some((block) => block.type === "tool_result");
  const said = messages.filter((m) => m.role === "user").flatMap((m) => (typeof m.content === "string" ? [m.content] : m.content.map((block) => block.text ?? "")));
  const file = requestedFile(said.join("\n"));
  // Where the CLI says it works (in the system prompt, or, in newer versions, a system message).
  const cwd = /working directory: (\/[^\s"\\]+)/i.exec(JSON.stringify(request))?.[1];
  const tool = WRITE_TOOLS.find((candidate) => tools.includes(candidate.name));
  const write = !done && file !== undefined && cwd !== undefined && tool !== undefined;
  const model = String(request.model ?? "scripted");
  const usage = { input_tokens: 1, output_tokens: 1 };
  if (request.stream !== true) {
    return void response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({ id: "msg_scripted", type: "message", role: "assistant", model, content: [{ type: "text", text: SCRIPTED_FINAL }], stop_reason: "end_turn", usage }),
    );
  }
  const start = ["message_start", { type: "message_start", message: { id: "msg_scripted", type: "message", role: "assistant", model, content: [], stop_reason: null, usage } }] as const;
  const stop = (reason: string) =>
    [
      ["message_delta", { type: "message_delta", delta: { stop_reason: reason, stop_sequence: null }, usage: { output_tokens: 1 } }],
      ["message_stop", { type: "message_stop" }],
    ] as const;
  if (write) {
    const input = JSON.stringify(tool.input(file.startsWith("/") ? file : `${cwd}/${file}`, SCRIPTED_CONTENT));
    return sse(response, [
      start,
      ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "tool_use", id: "toolu_scripted", name: tool.name, input: {} } }],
      ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: input } }],
      ["content_block_stop", { type: "content_block_stop", index: 0 }],
      ...stop("tool_use"),
    ]);
  }
  sse(response, [
    start,
    ["content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } }],
    ["content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: SCRIPTED_FINAL } }],
    ["content_block_stop", { type: "content_block_stop", index: 0 }],
    ...stop("end_turn"),
  ]);
}

// OpenAI Responses --------------------------------------------------------------------------------------

interface ResponsesItem {
  type: string;
  role?: string;
  content?: { type: string; text?: string }[];
}

function responses(response: ServerResponse, request: Record<string, unknown>): void {
  const input = (request.input ?? []) as ResponsesItem[];
  const done = input.some((item) => item.type === "function_call_output" || item.type === "custom_tool_call_output");
  const users = input.filter((item) => item.type === "message" && item.role === "user");
  const prompt = (users.at(-1)?.content ?? []).map((part) => part.text ?? "").join("\n");
  const file = requestedFile(prompt);
  const tools = ((request.tools ?? []) as { name?: string }[]).map((tool) => tool.name);
  const item =
    !done && file !== undefined && tools.includes("exec_command")
      ? {
          type: "function_call",
          id: "fc_scripted",
          call_id: "call_scripted",
          name: "exec_command",
          arguments: JSON.stringify({ cmd: `apply_patch <<'EOF'\n*** Begin Patch\n*** Add File: ${file}\n${SCRIPTED_CONTENT.replace(/^/gm, "+").replace(/\+$/, "")}*** End Patch\nEOF\n` }),
        }
      : { type: "message", id: "msg_scripted", role: "assistant", content: [{ type: "output_text", text: SCRIPTED_FINAL, annotations: [] }] };
  const usage = { input_tokens: 1, input_tokens_details: { cached_tokens: 0 }, output_tokens: 1, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 2 };
  sse(response, [
    ["response.created", { type: "response.created", response: { id: "resp_scripted" } }],
    ["response.output_item.added", { type: "response.output_item.added", output_index: 0, item }],
    ["response.output_item.done", { type: "response.output_item.done", output_index: 0, item }],
    ["response.completed", { type: "response.completed", response: { id: "resp_scripted", output: [item], usage } }],
  ]);
}

// OpenAI Chat Completions -------------------------------------------------------------------------------

interface ChatMessage {
  role: string;
  content?: string | { type: string; text?: string }[] | null;
}

function chatText(message: ChatMessage): string {
  return typeof message.content === "string" ? message.content : (message.content ?? []).map((part) => part.text ?? "").join("\n");
}

/** Qwen Code: its `write_file` tool (an absolute `file_path` and `content`), the folder from its system prompt. */
function chatCompletions(response: ServerResponse, request: Record<string, unknown>): void {
  const messages = (request.messages ?? []) as ChatMessage[];
  const done = messages.some((m) => m.role === "tool");
  const file = requestedFile(messages.filter((m) => m.role === "user").map(chatText).join("\n"));
  const cwd = /(?:working directory|working in the directory)[^/]*(\/[^\s"'`\\]+)/i.exec(messages.map(chatText).join("\n"))?.[1];
  const tools = ((request.tools ?? []) as { function?: { name?: string } }[]).map((tool) => tool.function?.name);
  const write = !done && file !== undefined && cwd !== undefined && tools.includes("write_file");
  const model = String(request.model ?? "scripted");
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({ id: "chatcmpl-scripted", object: "chat.completion.chunk", created: 0, model, choices: [{ index: 0, delta, finish_reason: finish }] });
  const usage = { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 };
  const call = write
    ? { tool_calls: [{ index: 0, id: "call_scripted", type: "function", function: { name: "write_file", arguments: JSON.stringify({ file_path: file.startsWith("/") ? file : `${cwd}/${file}`, content: SCRIPTED_CONTENT }) } }] }
    : { content: SCRIPTED_FINAL };
  if (request.stream !== true) {
    const message = { role: "assistant", content: write ? null : SCRIPTED_FINAL, ...(write ? { tool_calls: call.tool_calls!.map(({ index: _, ...rest }) => rest) } : {}) };
    return void response.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({ id: "chatcmpl-scripted", object: "chat.completion", created: 0, model, choices: [{ index: 0, message, finish_reason: write ? "tool_calls" : "stop" }], usage }),
    );
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  for (const data of [chunk({ role: "assistant", ...call }, null), { ...chunk({}, write ? "tool_calls" : "stop"), usage }]) response.write(`data: ${JSON.stringify(data)}\n\n`);
  response.end("data: [DONE]\n\n");
}

// Gemini API ----------------------------------------------------------------------------------------------

interface GeminiContent {
  role?: string;
  parts?: { text?: string; functionResponse?: unknown }[];
}

/** Gemini CLI: its `write_file` tool (an absolute `file_path` and `content`); JSON asked for (its checks) gets a JSON answer. */
function gemini(response: ServerResponse, request: Record<string, unknown>, stream: boolean): void {
  const contents = (request.contents ?? []) as GeminiContent[];
  const parts = contents.flatMap((c) => c.parts ?? []);
  const done = parts.some((part) => part.functionResponse !== undefined);
  const said = contents.filter((c) => c.role === "user").flatMap((c) => (c.parts ?? []).map((part) => part.text ?? "")).join("\n");
  const file = requestedFile(said);
  // Its session context lists the workspace: "**Workspace Directories:**" then "  - /path".
  const cwd = /Workspace Directories:\W*\n\s*-\s*(\/\S+)/.exec(said)?.[1];
  const tools = ((request.tools ?? []) as { functionDeclarations?: { name?: string }[] }[]).flatMap((tool) => (tool.functionDeclarations ?? []).map((f) => f.name));
  const json = (request.generationConfig as { responseMimeType?: string } | undefined)?.responseMimeType === "application/json";
  const write = !json && !done && file !== undefined && cwd !== undefined && tools.includes("write_file");
  const part = write
    ? { functionCall: { name: "write_file", args: { file_path: file.startsWith("/") ? file : `${cwd}/${file}`, content: SCRIPTED_CONTENT } } }
    : { text: json ? JSON.stringify({ reasoning: "scripted", next_speaker: "user" }) : SCRIPTED_FINAL };
  const answer = {
    candidates: [{ content: { role: "model", parts: [part] }, finishReason: "STOP", index: 0 }],
    usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
    modelVersion: "scripted",
  };
  if (!stream) return void response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  response.end(`data: ${JSON.stringify(answer)}\r\n\r\n`);
}
