import { describe, expect, it } from "vitest";
import { parsePolicyFile, renderPolicyStarter } from "../../../src/egress/policy-file.js";
import { addressRefusal, canonicalHost, nameAllowed, parseAuthority, parseHostRule, parseHostRules, ruleMatches, specialRange, type Policy } from "../../../src/egress/policy.js";
import { spellings } from "../../support/address-spellings.js";

function policy(entries: string[], mode: Policy["mode"] = "allowlist", privateRanges: string[] = []): Policy {
  return { mode, rules: parseHostRules(entries).rules, privateRanges };
}

describe("host rules", () => {
  it("parses host, host:port, wildcards, IP literals and rejects junk", () => {
    expect(parseHostRule("GitHub.com.")).toEqual({ host: "github.com" });
    expect(parseHostRule("example.com:8443")).toEqual({ host: "example.com", port: 8443 });
    expect(parseHostRule("*.githubcopilot.com")).toEqual({ host: "*.githubcopilot.com" });
    expect(parseHostRule("10.0.0.5:5432")).toEqual({ host: "10.0.0.5", port: 5432 });
    expect(parseHostRule("[::1]:80")).toEqual({ host: "::1", port: 80 });
    expect(typeof parseHostRule("exa mple.com")).toBe("string");
    expect(typeof parseHostRule("example.com:70000")).toBe("string");
    expect(typeof parseHostRule("http://example.com")).toBe("string");
    expect(parseHostRules(["a.com", "# comment", "", "bad host"]).errors).toHaveLength(1);
  });

  it("matches a wildcard on names under the domain only, and ports 80/443 unless a port is given", () => {
    const wildcard = { host: "*.example.com" };
    expect(ruleMatches(wildcard, "api.example.com", 443)).toBe(true);
    expect(ruleMatches(wildcard, "a.b.example.com", 80)).toBe(true);
    expect(ruleMatches(wildcard, "example.com", 443)).toBe(false);
    expect(ruleMatches(wildcard, "evilexample.com", 443)).toBe(false);
    expect(ruleMatches(wildcard, "api.example.com", 22)).toBe(false);
    expect(ruleMatches({ host: "example.com", port: 8443 }, "EXAMPLE.com.", 8443)).toBe(true);
    expect(ruleMatches({ host: "example.com", port: 8443 }, "example.com", 443)).toBe(false);
  });

  it("decides on the name alone in allowlist mode and lets every name through in log mode", () => {
    const p = policy(["api.openai.com", "*.githubcopilot.com"]);
    expect(nameAllowed(p, "api.openai.com", 443)).toBe(true);
    expect(nameAllowed(p, "x.githubcopilot.com", 443)).toBe(true);
    expect(nameAllowed(p, "blocked.test", 443)).toBe(false);
    expect(nameAllowed(p, "api.openai.com", 22)).toBe(false);
    expect(nameAllowed({ ...p, mode: "log" }, "blocked.test", 443)).toBe(true);
  });
});

describe("address refusal (after resolution)", () => {
  it("refuses private, loopback, link-local/metadata, CGNAT and IPv6 special addresses", () => {
    const p = policy(["*"]);
    for (const address of ["10.1.2.3", "172.17.0.1", "192.168.1.1", "127.0.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:169.254.169.254"]) {
      expect(addressRefusal(p, "rebind.example", 443, address), address).toBeDefined();
    }
    expect(addressRefusal(p, "example.com", 443, "93.184.216.34")).toBeUndefined();
    expect(addressRefusal(p, "example.com", 443, "2606:2800:220:1::1")).toBeUndefined();
    expect(addressRefusal(p, "x", 443, "169.254.169.254")).toMatch(/link-local/);
  });

  it("allows a private address only when its range is listed, or the exact IP literal is", () => {
    expect(addressRefusal(policy(["*"], "allowlist", ["172.30.0.0/16"]), "internal.test", 443, "172.30.4.5")).toBeUndefined();
    expect(addressRefusal(policy(["*"], "allowlist", ["172.30.0.0/16"]), "internal.test", 443, "172.17.0.1")).toBeDefined();
    expect(addressRefusal(policy(["10.0.0.5:5432"]), "10.0.0.5", 5432, "10.0.0.5")).toBeUndefined();
    // A listed name is no consent to whatever private address it resolves to.
    expect(addressRefusal(policy(["internal.test"]), "internal.test", 443, "10.0.0.5")).toBeDefined();
  });

  it("classifies every spelling of the metadata, bridge and loopback addresses, in every mode", () => {
    for (const [v4, kind] of [["169.254.169.254", /link-local|embeds/], ["172.17.0.1", /private|embeds/], ["127.0.0.1", /loopback|embeds/], ["10.0.0.1", /private|embeds/]] as const) {
      for (const spelling of spellings(v4)) {
        const target = parseAuthority(`${spelling}:80`, 443);
        expect(target, spelling).toBeDefined();
        for (const mode of ["allowlist", "log", "open"] as const) {
          expect(addressRefusal(policy(["*"], mode), target!.host, 80, target!.host), `${spelling} in ${mode}`).toMatch(kind);
        }
      }
    }
    // Mapped and dotted forms are classified as the IPv4 address they carry.
    expect(specialRange("::ffff:a9fe:a9fe")).toMatch(/link-local/);
    expect(specialRange("::ffff:8.8.8.8")).toBeUndefined();
    expect(specialRange("2002:a9fe:a9fe::1")).toMatch(/6to4/);
    expect(specialRange("64:ff9b::808:808")).toMatch(/NAT64/);
  });

  it("reads hosts with Node's URL parser: one canonical spelling, and nothing that is not a host", () => {
    expect(canonicalHost("0xa9fea9fe")).toBe("169.254.169.254");
    expect(canonicalHost("127.1")).toBe("127.0.0.1");
    expect(canonicalHost("[::ffff:127.0.0.1]")).toBe("::ffff:7f00:1");
    expect(canonicalHost("API.Example.COM.")).toBe("api.example.com");
    for (const junk of ["1.2.3.4.5", "foo.123", "a@b", "a/b", "a:80", ""]) expect(canonicalHost(junk), junk).toBeUndefined();
    expect(parseAuthority("[::1]:8443", 443)).toEqual({ host: "::1", port: 8443 });
    expect(parseAuthority("example.com", 443)).toEqual({ host: "example.com", port: 443 });
    expect(parseAuthority("user@example.com:443", 443)).toBeUndefined();
    // A listed address matches however the request spells it.
    expect(addressRefusal(policy(["127.1:8080"]), "2130706433", 8080, "127.0.0.1")).toBeUndefined();
    expect(addressRefusal(policy(["*"], "allowlist", ["172.30.0.0/16"]), "x", 443, "::ffff:ac1e:405")).toBeUndefined();
  });

  it("names the kind of range", () => {
    expect(specialRange("172.20.0.1")).toBe("private");
    expect(specialRange("8.8.8.8")).toBeUndefined();
  });
});

describe("the policy file", () => {
  it("reads allow and private, and reports every problem with the file's name", () => {
    const file = parsePolicyFile(`allow = ["a.example", "*.b.example:8443", "bad host"]\nprivate = ["10.0.0.0/8", "nope"]\nmode = "open"\n`);
    expect(file.allow).toEqual([{ host: "a.example" }, { host: "*.b.example", port: 8443 }]);
    expect(file.privateRanges).toEqual(["10.0.0.0/8"]);
    expect(file.errors).toHaveLength(3);
    expect(file.errors.every((error) => error.startsWith(".devcontainer/egress.toml"))).toBe(true);
    expect(parsePolicyFile("allow = [").errors).toHaveLength(1);
  });

  it("ships a starter that parses to an empty policy", () => {
    expect(parsePolicyFile(renderPolicyStarter())).toEqual({ allow: [], privateRanges: [], errors: [] });
  });
});
