import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeBrokerBundle } from "../../../src/hooks/broker-ca.js";

describe("the broker CA bundle the hook writes", () => {
  const dir = mkdtempSync(join(tmpdir(), "broker-ca-"));
  const system = join(dir, "system.crt");
  const ca = join(dir, "broker-ca.crt");
  const bundle = join(dir, "bundle.pem");
  writeFileSync(system, "SYSTEM\n");

  it("does nothing without the mounted CA (another auth mode)", () => {
    expect(writeBrokerBundle(bundle, ca, system)).toBeUndefined();
  });

  it("puts the broker CA after the system bundle (which holds a corporate CA), readable", () => {
    writeFileSync(ca, "BROKER\n");
    expect(writeBrokerBundle(bundle, ca, system)).toContain(bundle);
    expect(readFileSync(bundle, "utf8")).toBe("SYSTEM\nBROKER\n");
    expect(statSync(bundle).mode & 0o777).toBe(0o644);
  });
});
