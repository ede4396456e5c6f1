import { describe, expect, it } from "vitest";
import { cookieValue, judge, type RequestFacts } from "../../../src/ui/security.js";

const TOKEN = "t".repeat(43);
const PORT = 4321;
const base: RequestFacts = { method: "GET", url: "/api/list", host: `127.0.0.1:${PORT}`, origin: undefined, secFetchSite: undefined, cookie: `cadc_ui=${TOKEN}`, contentType: undefined };
const post: RequestFacts = { ...base, method: "POST", url: "/api/c/x/sync", origin: `http://127.0.0.1:${PORT}`, secFetchSite: "same-origin", contentType: "application/json" };

describe("judge", () => {
  it("lets a read with the session cookie through, and a state change from our own origin as JSON", () => {
    expect(judge(base, TOKEN, PORT)).toEqual({ allowed: true, viaUrlToken: false });
    expect(judge(post, TOKEN, PORT)).toEqual({ allowed: true, viaUrlToken: false });
    expect(judge({ ...post, host: `localhost:${PORT}`, origin: `http://localhost:${PORT}` }, TOKEN, PORT).allowed).toBe(true);
  });

  it("takes the token from the URL only on GET / (to set the cookie), nowhere else", () => {
    expect(judge({ ...base, url: `/?token=${TOKEN}`, cookie: undefined }, TOKEN, PORT)).toEqual({ allowed: true, viaUrlToken: true });
    expect(judge({ ...base, url: `/api/list?token=${TOKEN}`, cookie: undefined }, TOKEN, PORT).allowed).toBe(false);
    expect(judge({ ...post, url: `/api/c/x/sync?token=${TOKEN}`, cookie: undefined }, TOKEN, PORT).allowed).toBe(false);
  });

  it("refuses a missing or wrong token", () => {
    expect(judge({ ...base, cookie: undefined }, TOKEN, PORT)).toEqual({ allowed: false, reason: "missing or wrong token" });
    expect(judge({ ...base, cookie: `cadc_ui=${TOKEN.slice(1)}x` }, TOKEN, PORT).allowed).toBe(false);
    expect(judge({ ...base, url: "/?token=short", cookie: undefined }, TOKEN, PORT).allowed).toBe(false);
  });

  it("refuses a foreign Host (DNS rebinding), even with the token", () => {
    for (const host of ["evil.example:4321", `127.0.0.1:${PORT + 1}`, "127.0.0.1", undefined]) {
      expect(judge({ ...base, host }, TOKEN, PORT)).toEqual({ allowed: false, reason: "foreign Host header" });
    }
  });

  it("refuses a state change from another origin, another site, without Origin, or not as JSON", () => {
    expect(judge({ ...post, origin: "http://evil.example" }, TOKEN, PORT).allowed).toBe(false);
    expect(judge({ ...post, origin: "null" }, TOKEN, PORT).allowed).toBe(false);
    expect(judge({ ...post, origin: undefined }, TOKEN, PORT).allowed).toBe(false);
    expect(judge({ ...post, secFetchSite: "cross-site" }, TOKEN, PORT).allowed).toBe(false);
    expect(judge({ ...post, secFetchSite: "same-site" }, TOKEN, PORT).allowed).toBe(false);
    expect(judge({ ...post, contentType: "text/plain" }, TOKEN, PORT).allowed).toBe(false);
    expect(judge({ ...post, contentType: undefined }, TOKEN, PORT).allowed).toBe(false);
  });
});

describe("cookieValue", () => {
  it("finds one cookie among several", () => {
    expect(cookieValue("a=1; cadc_ui=abc=; b=2", "cadc_ui")).toBe("abc=");
    expect(cookieValue(undefined, "cadc_ui")).toBeUndefined();
    expect(cookieValue("xcadc_ui=1", "cadc_ui")).toBeUndefined();
  });
});
