import { describe, expect, it } from "vitest";
import { mergeParts } from "../../src/render/parts.js";

const base = { name: "n", image: "i" };

describe("mergeParts", () => {
  it("concatenates lists and merges maps in part order", () => {
    const merged = mergeParts(
      base,
      { mounts: ["a"], features: { f1: {} }, containerEnv: { A: "1" } },
      { mounts: ["b"], features: { f2: { x: "y" } }, containerEnv: { B: "2" } },
    );
    expect(merged.mounts).toEqual(["a", "b"]);
    expect(merged.features).toEqual({ f1: {}, f2: { x: "y" } });
    expect(merged.containerEnv).toEqual({ A: "1", B: "2" });
  });

  it("merges lifecycle hooks given in object form, and refuses to merge other forms", () => {
    expect(mergeParts(base, { postCreateCommand: { a: "x" } }, { postCreateCommand: { b: "y" } }).postCreateCommand).toEqual({ a: "x", b: "y" });
    expect(() => mergeParts(base, { postCreateCommand: "x" }, { postCreateCommand: { b: "y" } })).toThrow(/object form/);
  });

  it("deep-merges customizations", () => {
    const merged = mergeParts(base, { customizations: { vscode: { extensions: ["a"] } } }, { customizations: { vscode: { settings: { s: 1 } } } });
    expect(merged.customizations).toEqual({ vscode: { extensions: ["a"], settings: { s: 1 } } });
  });

  it("rejects two parts that set the same scalar or map key differently", () => {
    expect(() => mergeParts(base, { remoteUser: "a" }, { remoteUser: "b" })).toThrow(/remoteUser/);
    expect(() => mergeParts(base, { containerEnv: { A: "1" } }, { containerEnv: { A: "2" } })).toThrow(/containerEnv.A/);
    expect(mergeParts(base, { remoteUser: "a" }, { remoteUser: "a" }).remoteUser).toBe("a");
  });
});
