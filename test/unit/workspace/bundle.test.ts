/** The bundle header the host reads before git sees anything a container sent. */
import { describe, expect, it } from "vitest";
import { BundleError, parseBundleHeader } from "../../../src/workspace/bundle.js";

const A = "a".repeat(40);
const B = "b".repeat(40);

describe("parseBundleHeader", () => {
  it("reads prerequisites, refs and where the pack starts, in v2 and v3", () => {
    const v2 = Buffer.from(`# v2 git bundle\n-${A} base commit\n${B} refs/heads/claude/x\n\nPACK…`);
    expect(parseBundleHeader(v2)).toEqual({ prerequisites: [A], refs: [{ oid: B, name: "refs/heads/claude/x" }], packOffset: v2.indexOf("PACK") });
    const v3 = Buffer.from(`# v3 git bundle\n@object-format=sha1\n${B} refs/heads/claude/x\n\nPACK`);
    expect(parseBundleHeader(v3).refs).toEqual([{ oid: B, name: "refs/heads/claude/x" }]);
  });

  it.each([
    ["no signature", `${B} refs/heads/x\n\nPACK`, /not a git bundle/],
    ["no end of header", `# v2 git bundle\n${B} refs/heads/x\nPACK`, /no header end/],
    ["a filtered (partial) bundle", `# v3 git bundle\n@filter=blob:none\n${B} refs/heads/x\n\nPACK`, /unsupported bundle capability/],
    ["a short object id", `# v2 git bundle\nabc refs/heads/x\n\nPACK`, /bad ref line/],
    ["a ref outside refs/", `# v2 git bundle\n${B} HEAD\n\nPACK`, /bad ref line/],
    ["a ref name with a space", `# v2 git bundle\n${B} refs/heads/a b\n\nPACK`, /bad ref line/],
    ["a bad prerequisite", `# v2 git bundle\n-zz\n\nPACK`, /bad prerequisite/],
  ])("refuses %s", (_what, text, message) => {
    expect(() => parseBundleHeader(Buffer.from(text))).toThrow(BundleError);
    expect(() => parseBundleHeader(Buffer.from(text))).toThrow(message);
  });
});
