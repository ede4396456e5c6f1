/** An agent module that marks itself as not brokerable: `--auth` refuses broker for it, naming the module's reason. */
import { describe, expect, it, vi } from "vitest";

vi.mock("../../../src/agents/amp.js", async (original) => {
  const { amp } = await original<typeof import("../../../src/agents/amp.js")>();
  return { amp: { ...amp, broker: { unsupported: "its key never leaves its own login store (test double)" } } };
});

const { applyAuthFlags } = await import("../../../src/auth/modes.js");
const { diagnose } = await import("../../../src/auth/diagnose.js");

describe("an agent that cannot be brokered", () => {
  it("is refused by --auth amp=broker and by --auth broker, with the module's reason", () => {
    const message = "--auth: amp cannot use broker: its key never leaves its own login store (test double)";
    expect(() => applyAuthFlags(["amp"], ["amp=broker"])).toThrow(message);
    expect(() => applyAuthFlags(["claude", "amp"], ["broker"])).toThrow(message);
  });

  it("can be given another mode by a later entry, while the others stay brokered", () => {
    expect(applyAuthFlags(["claude", "amp"], ["broker", "amp=token"])).toEqual({ claude: "broker", amp: "token" });
  });

  it("is reported by doctor as not brokerable", () => {
    const report = diagnose(
      { amp: "broker" },
      {
        platform: "linux",
        wsl: false,
        home: "/home/u",
        locationEnv: {},
        tokens: ["AMP_API_KEY"],
        files: {},
        keychain: [],
        volumes: [],
        docker: { found: true, version: "27.0.1" },
        devcontainerCli: { found: true, version: "0.89.0" },
        secretsFile: { path: "/home/u/.config/agent-devcontainer/mcp-secrets.env", exists: false, private: true },
      },
    );
    expect(JSON.stringify(report)).toContain("Amp cannot be brokered: its key never leaves its own login store (test double)");
  });
});
