/**
 * Reads the `devcontainer --log-format json` stream: a concise stage for the terminal when a long step
 * begins, and every entry as plain text for the full log file.
 */
import { HOOKS_ROOT } from "../features/feature.js";

interface LogEntry {
  type?: string;
  text?: string;
  name?: string;
  status?: string;
  stepDetail?: string;
  timestamp?: number;
  startTimestamp?: number;
}

export interface ParsedLine {
  /** A stage worth a line on the terminal (a long step just started). */
  stage?: string;
  /** The entry as text, for the log file ("" for nothing). */
  text: string;
  /** A failure an in-container hook reported, in its own words. */
  hookFailure?: string;
}

const BUILD = /^Run: docker (buildx )?build /;
/** The stage after the image build: the container is being created. */
export const STARTING = "starting the container";
const HOOK_FAILURE = /\[agent-devcontainer\] .*failed: .*/;

export function parseLogLine(line: string): ParsedLine {
  let entry: LogEntry;
  try {
    entry = JSON.parse(line) as LogEntry;
  } catch {
    return { text: `${line}\n` };
  }
  const at = entry.timestamp ? `[${new Date(entry.timestamp).toISOString()}] ` : "";
  const text = entry.text ?? "";
  switch (entry.type) {
    case "raw": {
      const failure = HOOK_FAILURE.exec(text)?.[0];
      return { text, ...(failure ? { hookFailure: failure.trim() } : {}) };
    }
    case "text":
      return { text: `${at}${text}${text.endsWith("\n") ? "" : "\n"}` };
    case "start":
      return { text: `${at}Start: ${text}\n`, ...startStage(text) };
    case "stop":
      return { text: `${at}Stop (${(entry.timestamp ?? 0) - (entry.startTimestamp ?? 0)} ms): ${text}\n` };
    case "progress": {
      const stage = entry.status === "running" && entry.name ? hookStage(entry.name, entry.stepDetail ?? "") : undefined;
      return { text: `${at}${entry.name ?? ""} ${entry.status ?? ""} ${entry.stepDetail ?? ""}\n`, ...(stage ? { stage } : {}) };
    }
    default:
      return { text: `${line}\n` };
  }
}

function startStage(text: string): { stage?: string } {
  if (text === "Resolving Remote") return { stage: "reading the configuration" };
  if (BUILD.test(text)) return { stage: "building the image (cached after the first launch)" };
  if (text === "Starting container") return { stage: STARTING };
  return {};
}

/** "Running onCreateCommand..." + our hook's path → "onCreateCommand: workspace on-create". */
function hookStage(name: string, detail: string): string {
  const hook = /^Running (\w+)/.exec(name)?.[1] ?? name;
  const ours = new RegExp(`^${HOOKS_ROOT}/([\\w-]+)/hook ([\\w-]+)`).exec(detail);
  const what = ours ? `${ours[1]} ${ours[2]}` : detail.length > 60 ? `${detail.slice(0, 57)}...` : detail;
  return `${hook}: ${what}`;
}
