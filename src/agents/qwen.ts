/**
 * Qwen Code (Alibaba's fork of Gemini CLI). Facts and their sources: docs/agents/qwen.md.
 *
 * MCP: the `mcpServers` key of `$QWEN_HOME/settings.json`. Like Gemini, Qwen resolves `$VAR` / `${VAR}`
 * in its settings, so references stay as written; unlike Gemini, a streamable-HTTP server is `httpUrl`
 * and an SSE server `url`. Disabled servers are left out.
 */
import type { McpRender, McpServer } from "../mcp/model.js";
import { compact, nonEmpty, serversFor, warnBareDollars, Warnings } from "../mcp/render/common.js";
import { jsonMcp } from "./json-mcp.js";
import { defineAgent } from "./record.js";

interface QwenServer {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  httpUrl?: string;
  url?: string;
  headers?: Record<string, string>;
}

interface QwenMcpConfig {
  mcpServers: Record<string, QwenServer>;
}

export function renderQwen(servers: readonly McpServer[]): McpRender<QwenMcpConfig> {
  const warnings = new Warnings();
  const mcpServers: Record<string, QwenServer> = {};
  for (const server of serversFor("qwen", servers)) {
    if (server.transport === "stdio") {
      warnBareDollars(warnings, server, "env", server.env, "qwen");
      mcpServers[server.name] = compact<QwenServer>({
        command: server.command,
        args: server.args.length > 0 ? [...server.args] : undefined,
        env: nonEmpty(server.env),
        cwd: server.cwd,
      });
    } else {
      warnBareDollars(warnings, server, "headers", server.headers, "qwen");
      const url = server.transport === "http" ? { httpUrl: server.url } : { url: server.url };
      mcpServers[server.name] = compact<QwenServer>({ ...url, headers: nonEmpty(server.headers) });
    }
  }
  return { config: { mcpServers }, warnings: warnings.list };
}

export const qwen = defineAgent({
  id: "qwen",
  title: "Qwen Code",
  featureVersion: "1.1.4",
  npmPackage: "@qwen-code/qwen-code",
  binary: "qwen",
  configEnv: "QWEN_HOME",
  configSubdir: "",
  settingsEnv: {},
  // OPENAI_API_KEY selects OpenAI-compatible auth on its own; DASHSCOPE_API_KEY is Alibaba Cloud's key.
  tokenEnv: ["OPENAI_API_KEY", "DASHSCOPE_API_KEY"],
  // Qwen OAuth, the only file login (oauth_creds.json), was discontinued on 2026-04-15: keys live in the environment.
  credentialFiles: [],
  hostLogin: [],
  singleUseRefresh: false,
  hostLoginHowTo: "Qwen Code has no file login to copy since Qwen OAuth was discontinued: use token auth",
  tokenHowTo: "export OPENAI_API_KEY=<a key for an OpenAI-compatible endpoint> (with OPENAI_BASE_URL and OPENAI_MODEL), or DASHSCOPE_API_KEY",
  copyEnv: {},
  outboundHosts: [
    "dashscope.aliyuncs.com",
    "dashscope-intl.aliyuncs.com",
    "coding.dashscope.aliyuncs.com",
    "coding-intl.dashscope.aliyuncs.com",
    "chat.qwen.ai",
  ],
  homepage: "https://qwenlm.github.io/qwen-code-docs/",
  mcp: jsonMcp<QwenMcpConfig>("settings.json", "mcpServers", renderQwen),
  headless: ["qwen", "--approval-mode", "yolo", '"$PROMPT"'],
  // OpenAI-compatible auth reads the endpoint and the model from the environment (docs configuration/auth.md).
  gateway: { baseUrlEnv: "OPENAI_BASE_URL", env: ["OPENAI_BASE_URL", "OPENAI_MODEL"] },
  pinnedVersion: "0.24.0",
  // Both keys go out as `Authorization: Bearer` through the OpenAI SDK (Node.js: NODE_EXTRA_CA_CERTS applies).
  // OPENAI_API_KEY goes to the SDK's default host or to OPENAI_BASE_URL; DASHSCOPE_API_KEY to Model Studio.
  broker: {
    hosts: ["api.openai.com"],
    baseUrlEnv: "OPENAI_BASE_URL",
    credentials: [
      { env: "OPENAI_API_KEY", from: ["OPENAI_API_KEY"], placeholder: "sk-cadc-broker-placeholder-000000000000000000000000", header: "authorization" },
      {
        env: "DASHSCOPE_API_KEY",
        from: ["DASHSCOPE_API_KEY"],
        placeholder: "sk-cadc-broker-placeholder-dashscope-0000000000000000",
        header: "authorization",
        hosts: ["dashscope.aliyuncs.com", "dashscope-intl.aliyuncs.com", "coding.dashscope.aliyuncs.com", "coding-intl.dashscope.aliyuncs.com"],
      },
    ],
  },
});
