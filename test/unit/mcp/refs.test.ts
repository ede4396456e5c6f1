import { describe, expect, it } from "vitest";
import { exactRef, hasBareDollar, mapRefs, refsIn, serverVariables } from "../../../src/mcp/refs.js";
import { remote, stdio } from "./fixtures.js";

describe("variable references", () => {
  it.each([
    ["${TOKEN}", "TOKEN"],
    ["${_a1}", "_a1"],
    ["Bearer ${TOKEN}", undefined],
    ["${A}${B}", undefined],
    ["$TOKEN", undefined],
    ["plain", undefined],
  ])("exactRef(%j) is %j", (value, expected) => {
    expect(exactRef(value)).toBe(expected);
  });

  it("lists referenced names once each, in order", () => {
    expect(refsIn("${B}-${A}-${B} $C")).toEqual(["B", "A"]);
  });

  it("rewrites every reference and nothing else", () => {
    expect(mapRefs("a ${X} $Y ${Z}", (name) => `<${name}>`)).toBe("a <X> $Y <Z>");
  });

  it("finds literal $NAME text outside references", () => {
    expect(hasBareDollar("${TOKEN}")).toBe(false);
    expect(hasBareDollar("cost $5")).toBe(false);
    expect(hasBareDollar("home is $HOME")).toBe(true);
  });

  it("collects every variable a server needs", () => {
    expect(serverVariables(stdio("a", { args: ["${DIR}"], env: { T: "${T}", U: "x-${DIR}" }, cwd: "${W}" }))).toEqual(["DIR", "T", "W"]);
    expect(serverVariables(remote("b", { url: "https://${HOST}/", headers: { Authorization: "Bearer ${TOKEN}" } }))).toEqual(["HOST", "TOKEN"]);
  });
});
