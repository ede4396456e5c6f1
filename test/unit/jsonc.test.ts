/** renderJsonc: devcontainer.json for a person to read, still the same value for every JSONC parser. */
import { describe, expect, it } from "vitest";
import { renderJsonc } from "../../src/core/tree.js";
import { parseJsonc } from "../support/official-schemas.js";

const value = {
  name: "x",
  securityOpt: ["no-new-privileges:true"],
  initializeCommand: { step: ["/bin/sh", ".devcontainer/host/step.sh", "arg"] },
  mounts: ["type=bind,source=/a/very/long/path/that/keeps/going/and/going,target=/somewhere/else/entirely,readonly", "b"],
  features: {},
  empty: [],
};

describe("renderJsonc", () => {
  it("parses back to the same value", () => {
    expect(parseJsonc(renderJsonc("header", value, { features: "what it installs" }))).toEqual(value);
  });

  it("puts a one-line comment before each top-level key that has one, and none elsewhere", () => {
    const text = renderJsonc("header", value, { features: "what it installs", absent: "never shown" });

    expect(text.split("\n").filter((line) => line.trimStart().startsWith("//"))).toEqual(["// header", "  // what it installs"]);
    expect(text).toContain('  // what it installs\n  "features": {}');
  });

  it("keeps short lists of plain values on one line and long ones one item a line", () => {
    const text = renderJsonc("header", value);

    expect(text).toContain('"securityOpt": ["no-new-privileges:true"],');
    expect(text).toContain('"step": ["/bin/sh", ".devcontainer/host/step.sh", "arg"]');
    expect(text).toContain('"mounts": [\n    "type=bind');
    expect(text).toContain('"empty": []');
  });

  it("is deterministic and ends with one newline", () => {
    expect(renderJsonc("h", value)).toBe(renderJsonc("h", structuredClone(value)));
    expect(renderJsonc("h", value).endsWith("}\n")).toBe(true);
  });
});
