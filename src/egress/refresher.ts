/**
 * The one refresher of a subscription login, on the host's side (docs/broker.md): it runs in its own
 * container (`cadc-broker-login-<id>`, one per login file, so N agent containers and their enforcers never
 * refresh), with the folder of the host's login file mounted read-write and the login's broker folder.
 * Each tick it re-reads the host's file (so a refresh the host's CLI made is adopted), refreshes well before
 * the access token expires (earlier than the CLI would), writes the rotated tokens back into the host's
 * file atomically (same folder, same mode), and publishes for the enforcers only `current` (the access
 * token and the headers the API needs), with the placeholder login and a one-line `status`. A refresh that
 * fails leaves the host's file as it was; a permanent failure withdraws `current` and is not retried until
 * that file changes.
 * Where the CLI refreshes under a lock of its own (Claude's), the refresher takes the same lock and re-reads
 * the file under it, so it adopts the CLI's refresh instead of spending the refresh token a second time.
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { basename, dirname, join } from "node:path";
import { takeLock } from "./login-lock.js";
import type { HostLogin, LoginFormat } from "./logins/format.js";

/** The part of an access token's life after which it is refreshed (Codex's own 8 of 10 days come later). */
const REFRESH_AT = 0.7;
/** Without an issue time: this long before the expiry. */
const REFRESH_BEFORE_MS = 5 * 60_000;
/** While the CLI holds its refresh lock: look again this soon. */
const LOCKED_MS = 2_000;
const MAX_SLEEP_MS = 30_000;
const MIN_SLEEP_MS = 1_000;
const RETRY_MS = 10_000;

export interface TokenAnswer {
  status: number;
  json: Record<string, unknown>;
}

export type Post = (url: string, body: string, type: string) => Promise<TokenAnswer>;

export interface RefresherOptions {
  format: LoginFormat;
  /** The host's login file and the login's broker folder. */
  login: string;
  out: string;
  /** The staged name the container's hook copies the placeholder from. */
  staged: string;
  tokenUrl: string;
  post: Post;
  now?: () => number;
}

export interface Status {
  state: "ok" | "failed";
  message: string;
  expiresAt?: number;
  refreshedAt?: number;
}

/**
 * When to refresh a login: at REFRESH_AT of its life, or REFRESH_BEFORE_MS before its end. A token whose
 * file does not say when it was issued (Claude's) counts from when the refresher first saw it.
 */
export function refreshAt(login: HostLogin, seenAt?: number): number {
  const issued = login.issuedAt ?? seenAt;
  if (issued !== undefined && issued < login.expiresAt) return issued + REFRESH_AT * (login.expiresAt - issued);
  return login.expiresAt - REFRESH_BEFORE_MS;
}

/** Writes next to the target and renames over it: a reader sees the old file or the new one. */
export function replaceFile(path: string, content: string, mode: number): void {
  const temporary = join(dirname(path), `.${basename(path)}.cadc-${process.pid}`);
  writeFileSync(temporary, content, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

function publishIfChanged(path: string, content: string): void {
  let existing: string | undefined;
  try {
    existing = readFileSync(path, "utf8");
  } catch {
    existing = undefined;
  }
  if (existing !== content) replaceFile(path, content, 0o644);
}

export class Refresher {
  /** The host file's text that last failed permanently: not retried until the file changes. */
  private failedText: string | undefined;
  /** The current access token and when the refresher first saw it (or got it), for a format without an issue time. */
  private seen: { access: string; at: number } | undefined;

  constructor(private readonly options: RefresherOptions) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private status(status: Status): void {
    publishIfChanged(join(this.options.out, "status"), `${JSON.stringify(status)}\n`);
  }

  private publish(text: string, login: HostLogin): void {
    const { out, staged, format } = this.options;
    mkdirSync(join(out, "placeholder"), { recursive: true, mode: 0o755 });
    publishIfChanged(join(out, "placeholder", staged), format.renderPlaceholder(text));
    const append = login.append && Object.keys(login.append).length > 0 ? { append: login.append } : {};
    publishIfChanged(join(out, "current"), `${JSON.stringify({ access_token: login.access, headers: login.headers, ...append })}\n`);
    if (this.seen?.access !== login.access) this.seen = { access: login.access, at: this.now() };
  }

  private due(login: HostLogin): number {
    return refreshAt(login, this.seen?.access === login.access ? this.seen.at : undefined);
  }

  private fail(message: string): number {
    this.status({ state: "failed", message: `${message}; log in again on the host: ${this.options.format.relogin}` });
    return MAX_SLEEP_MS;
  }

  /**
   * A login the host no longer has, or one its token endpoint refused for good: the enforcers stop injecting
   * its last access token (the container's calls get a 401), so a logout on the host cuts the containers off.
   */
  private withdraw(message: string): number {
    rmSync(join(this.options.out, "current"), { force: true });
    this.seen = undefined;
    return this.fail(message);
  }

  /** One look at the host's login; returns how long to sleep before the next. */
  async tick(): Promise<number> {
    const { format, login: file } = this.options;
    mkdirSync(this.options.out, { recursive: true, mode: 0o755 });
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      return this.withdraw(`no login at ${file}`);
    }
    // A file that does not parse may be a write in progress: the last token stands until the next look.
    const login = format.parse(text);
    if (typeof login === "string") return this.fail(login);
    if (this.failedText === text) return MAX_SLEEP_MS;
    this.publish(text, login);
    const now = this.now();
    const due = this.due(login);
    if (now < due) {
      this.failedText = undefined;
      this.status({ state: "ok", message: `access token valid until ${new Date(login.expiresAt).toISOString()}`, expiresAt: login.expiresAt });
      return Math.min(Math.max(due - now, MIN_SLEEP_MS), MAX_SLEEP_MS);
    }
    if (!format.lock) return this.refresh(text, login, now);
    const lock = takeLock(join(dirname(file), format.lock));
    if (!lock) return LOCKED_MS;
    try {
      // Under the lock: a refresh the CLI finished meanwhile is adopted at the next tick, not repeated.
      if (readFileSync(file, "utf8") !== text) return MIN_SLEEP_MS;
      return await this.refresh(text, login, now);
    } finally {
      lock.release();
    }
  }

  /** Spends the refresh token once and writes the rotated pair back; returns how long to sleep. */
  private async refresh(text: string, login: HostLogin, now: number): Promise<number> {
    const { format, login: file, tokenUrl, post } = this.options;
    const { body, type } = format.request(login, text);
    let answer: TokenAnswer;
    try {
      answer = await post(tokenUrl, body, type);
    } catch (error) {
      this.status({ state: "failed", message: `the token endpoint is unreachable (${(error as Error).message}); retrying` });
      return RETRY_MS;
    }
    if (answer.status >= 500 || answer.status === 429) {
      this.status({ state: "failed", message: `the token endpoint answered ${answer.status}; retrying` });
      return RETRY_MS;
    }
    const next = answer.status === 200 ? format.parse(format.apply(text, answer.json, now)) : undefined;
    if (next === undefined || typeof next === "string" || next.access === login.access) {
      this.failedText = text;
      const code = typeof answer.json.error === "string" ? answer.json.error : typeof answer.json.error === "object" ? JSON.stringify(answer.json.error) : `HTTP ${answer.status}`;
      return this.withdraw(`the login could not be refreshed (${code})`);
    }
    // The host's CLI may have rewritten the file while we asked: then its result stands and ours is dropped
    // (one of the two refreshes was refused as a reuse; the next tick adopts whichever won).
    if (readFileSync(file, "utf8") !== text) return MIN_SLEEP_MS;
    const updated = format.apply(text, answer.json, now);
    replaceFile(file, updated, statSync(file).mode & 0o777);
    this.publish(updated, next);
    this.status({ state: "ok", message: `refreshed; valid until ${new Date(next.expiresAt).toISOString()}`, expiresAt: next.expiresAt, refreshedAt: now });
    const wait = this.due(next) - this.now();
    return Math.min(Math.max(wait, MIN_SLEEP_MS), MAX_SLEEP_MS);
  }

  /** Ticks until stopped; a stop waits for a refresh under way (its rotated tokens must reach the file). */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let wait: number;
      try {
        wait = await this.tick();
      } catch (error) {
        process.stderr.write(`refresher: ${(error as Error).message}\n`);
        wait = RETRY_MS;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }
}

/** POSTs with Node's own client: https verified against the given context's roots, plain http for tests on loopback. */
export function poster(secureContext?: import("node:tls").SecureContext): Post {
  return (url, body, type) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      const send = target.protocol === "http:" ? httpRequest : httpsRequest;
      const req = send(
        target,
        { method: "POST", headers: { "content-type": type, accept: "application/json", "content-length": Buffer.byteLength(body) }, timeout: 30_000, ...(secureContext ? { secureContext } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => {
            let json: Record<string, unknown> = {};
            try {
              const parsed = JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
              if (parsed && typeof parsed === "object") json = parsed as Record<string, unknown>;
            } catch {
              // not JSON: an error without a code
            }
            resolve({ status: res.statusCode ?? 0, json });
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("timed out")));
      req.on("error", reject);
      req.end(body);
    });
}
