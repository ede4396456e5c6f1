/** The login formats the broker can refresh, by id (an agent module's `broker.login.format`). */
import { claudeLogin } from "./claude.js";
import { codexLogin } from "./codex.js";
import type { LoginFormat } from "./format.js";
import { googleLogin } from "./google.js";

export const LOGIN_FORMATS: Readonly<Record<string, LoginFormat>> = { claude: claudeLogin, codex: codexLogin, google: googleLogin };

export function loginFormat(id: string): LoginFormat | undefined {
  return Object.hasOwn(LOGIN_FORMATS, id) ? LOGIN_FORMATS[id] : undefined;
}
