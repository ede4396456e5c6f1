import { fileURLToPath } from "node:url";

/** The package root, from src/ (tsx, tests) and dist/ (the built CLI) alike. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../", import.meta.url));

export function packagePath(...segments: string[]): string {
  return [PACKAGE_ROOT.replace(/\/$/, ""), ...segments].join("/");
}
