/**
 * What to tell someone whose engine cannot get the base image, or whose builds cannot reach the Node.js
 * source: the image or URL, the setting that replaces it (flag and environment variable), and the README
 * section with the recipe. Pure, so `launch`, `doctor` and the tests share the exact words; the host step
 * (src/egress/egress.sh, plain `devcontainer up` and VS Code) says the same in shell.
 */
import { ENV_BASE_IMAGE, ENV_NODE_MIRROR } from "../scaffold-defaults.js";

export const OFFLINE_SECTION = "Offline and air-gapped networks";
const SEE = `see the README, "${OFFLINE_SECTION}"`;

/**
 * The fix for a base image the engine neither has nor can pull. A scaffolded config names its image, so there
 * the setting takes effect when the scaffolder runs again (`rerun`).
 */
export function baseImageFix(rerun = false): string {
  return `use an image this engine has or can pull: --base-image <image> or ${ENV_BASE_IMAGE}=<image>${rerun ? ", then re-run create-agent-devcontainer" : ""}; ${SEE}`;
}

/** The fix for a Node.js source the builds cannot reach. */
export function nodeSourceFix(): string {
  return `point the Features at a source your network reaches: --node-mirror npm (the npm registry) or a nodejs.org mirror, or ${ENV_NODE_MIRROR}; ${SEE}`;
}

/** Docker's own last words, reduced to one line. */
export function dockerReason(stderr: string): string {
  const lines = stderr.trim().split("\n").map((line) => line.trim()).filter(Boolean);
  return (lines.pop() ?? "no reason given").replace(/^Error response from daemon:\s*/, "");
}

/** The one line for a base image that cannot be pulled; `reason` is Docker's, already one line. */
export function unpullableBaseImage(image: string, reason: string): string {
  return `cannot pull the base image ${image} (${reason})`;
}
