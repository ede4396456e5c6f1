/**
 * One test CA per run (shared/reference/testbed.md): every test "internet" signs its servers' certificates with it,
 * and one base image trusts it. Every e2e file then builds its configs on that one base, so Docker's layer cache
 * serves each agent's Feature install to every file after the first that builds it.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageExists } from "./docker.js";

/** Where the run's CA lives (test-ca.crt, ca.key); set by the e2e global setup, else made for this process. */
export const ENV_TEST_CA_DIR = "AGENT_DC_TEST_CA_DIR";

export function openssl(dir: string, ...args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
}

/** The run's CA folder, made once (per run under vitest, per process for the benchmark). */
export function testCaDir(): string {
  const existing = process.env[ENV_TEST_CA_DIR];
  if (existing && existsSync(join(existing, "ca.key"))) return existing;
  const dir = mkdtempSync(join(tmpdir(), "agent-dc-test-ca-"));
  openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=agent-dc egress test CA", "-keyout", "ca.key", "-out", "test-ca.crt");
  process.env[ENV_TEST_CA_DIR] = dir;
  return dir;
}

/** `baseImage` plus curl and jq, and the run's CA in /usr/local/share/ca-certificates (the Features trust what is there); built once. */
export function baseImageWithTestCa(baseImage: string): string {
  const dir = testCaDir();
  const cert = readFileSync(join(dir, "test-ca.crt"));
  const image = `agent-dc-test/debian-ca:${createHash("sha256").update(baseImage).update(cert).digest("hex").slice(0, 12)}`;
  if (!imageExists(image)) {
    // A context of its own: the CA's key stays out of the build.
    const context = join(dir, "image");
    mkdirSync(context, { recursive: true });
    copyFileSync(join(dir, "test-ca.crt"), join(context, "test-ca.crt"));
    // With what most development images already have, so no Feature build waits on apt: the apt path is still
    // run by the README test (the plain base) and features.test.ts (jq, on the image with Node.js).
    const packages = "apt-get update -qq && apt-get install -y -qq --no-install-recommends ca-certificates curl jq >/dev/null && rm -rf /var/lib/apt/lists/*";
    writeFileSync(join(context, "Dockerfile"), `FROM ${baseImage}\nRUN ${packages}\nCOPY test-ca.crt /usr/local/share/ca-certificates/agent-dc-egress-test-ca.crt\nRUN update-ca-certificates >/dev/null\n`);
    execFileSync("docker", ["build", "-q", "-t", image, context], { stdio: ["ignore", "ignore", "inherit"] });
  }
  return image;
}
