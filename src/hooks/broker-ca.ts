/**
 * Auth mode `broker`: the agent's container trusts the broker's CA (mounted read-only) on top of the
 * system's bundle, which holds any corporate CA the image added. One file, written by the hook at every
 * start, which NODE_EXTRA_CA_CERTS and SSL_CERT_FILE name (a copy the agent user could edit only weakens
 * its own checks, never the boundary: the enforcer verifies upstream itself).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { BROKER_CA_TARGET } from "../egress/layout.js";

const SYSTEM_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/** Writes the bundle when the broker's CA is mounted; returns what it did, or undefined. */
export function writeBrokerBundle(bundle: string, ca = BROKER_CA_TARGET, system = SYSTEM_BUNDLE): string | undefined {
  if (!existsSync(ca)) return undefined;
  const parts = [existsSync(system) ? readFileSync(system, "utf8") : "", readFileSync(ca, "utf8")];
  const tmp = `${bundle}.${process.pid}.tmp`;
  writeFileSync(tmp, parts.filter(Boolean).map((text) => text.trimEnd()).join("\n") + "\n", { mode: 0o644 });
  renameSync(tmp, bundle);
  return `trusts the credential broker's CA (${bundle})`;
}
