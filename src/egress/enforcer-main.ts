/**
 * Entry point of the enforcer bundle (egress/proxy.cjs), run by Node.js in the enforcer container; with
 * `refresh FORMAT LOGIN-FILE OUT-DIR STAGED-NAME`, the same bundle is a subscription login's refresher
 * in its own container (./refresher.ts).
 */
import { upstreamTls } from "./broker.js";
import { startEnforcer } from "./enforcer.js";
import { loginFormat } from "./logins/index.js";
import { poster, Refresher } from "./refresher.js";

const [command, formatId = "", login = "", out = "", staged = ""] = process.argv.slice(2);
if (command === "refresh") {
  const format = loginFormat(formatId);
  if (!format || !login || !out || !staged) {
    process.stderr.write("usage: proxy.cjs refresh FORMAT LOGIN-FILE OUT-DIR STAGED-NAME\n");
    process.exit(2);
  }
  const tokenUrl = (format.tokenUrlEnv && process.env[format.tokenUrlEnv]?.trim()) || format.tokenUrl;
  const stop = new AbortController();
  process.once("SIGTERM", () => stop.abort()).once("SIGINT", () => stop.abort());
  process.stderr.write(`refresher: ${format.id} login ${login}, token endpoint ${tokenUrl}\n`);
  void new Refresher({ format, login, out, staged, tokenUrl, post: poster(upstreamTls()) }).run(stop.signal).then(() => process.exit(0));
} else {
  startEnforcer();
}
