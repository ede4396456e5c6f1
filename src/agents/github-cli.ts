/** gh, the GitHub CLI: not an agent, but its login is staged and passed like one (for `origin`). */
import type { LoginSource } from "./record.js";

/** gh's login, copied or passed like an agent's, so git can use `gh auth git-credential` for `origin`. */
export const GITHUB_CLI: LoginSource = {
  id: "gh",
  title: "GitHub CLI",
  tokenEnv: ["GH_TOKEN", "GITHUB_TOKEN"],
  hostLogin: [
    {
      // Holds the token only when gh stores it outside the system keyring (--insecure-storage).
      staged: "gh-hosts.yml",
      locations: [{ env: "GH_CONFIG_DIR", path: "hosts.yml" }, { env: "XDG_CONFIG_HOME", path: "gh/hosts.yml" }, { path: ".config/gh/hosts.yml" }],
      loginPattern: "oauth_token:",
    },
  ],
  keychainService: "gh:github.com",
  singleUseRefresh: false,
  hostLoginHowTo: "run `gh auth login --insecure-storage` on this host (gh keeps the token in the keyring otherwise)",
  tokenHowTo: "export GH_TOKEN=\"$(gh auth token)\"",
};
