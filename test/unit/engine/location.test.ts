import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { classify, ENV_ENGINE, namedContext, type Facts } from "../../../src/engine/location.js";
import { UserError } from "../../../src/errors.js";
import { tempDir } from "../../support/temp-dir.js";

const facts = (endpoint: string, id: string, defaultId: string | undefined, override?: string): Facts => ({
  endpoint,
  id,
  override,
  defaultId: () => {
    if (defaultId === undefined) throw new Error("the default socket must not be asked");
    return defaultId;
  },
});

describe("classify", () => {
  it("counts network endpoints as remote without asking the default socket", () => {
    for (const endpoint of ["ssh://me@build", "tcp://10.0.0.5:2376", "https://engine.example"]) {
      expect(classify(facts(endpoint, "B", undefined)).location).toBe("remote");
    }
  });

  it("counts the default socket as local without asking it twice", () => {
    expect(classify(facts("unix:///var/run/docker.sock", "A", undefined))).toEqual({ location: "local", reason: "the default socket" });
    expect(classify(facts("npipe:////./pipe/docker_engine", "A", undefined)).location).toBe("local");
  });

  it("compares another socket's engine with the default socket's", () => {
    expect(classify(facts("unix:///var/lib/agent-dc-engine2/run/engine2.sock", "B", "A")).location).toBe("remote");
    // Docker Desktop: its socket and /var/run/docker.sock reach the same engine.
    expect(classify(facts("unix:///Users/me/.docker/run/docker.sock", "A", "A")).location).toBe("local");
    // Rootless Docker with nothing on the default socket.
    expect(classify(facts("unix:///run/user/1000/docker.sock", "R", "")).location).toBe("local");
  });

  it("takes the override before any guess, and refuses another value by name", () => {
    expect(classify(facts("ssh://me@build", "B", undefined, "local"))).toEqual({ location: "local", reason: `${ENV_ENGINE}=local` });
    expect(classify(facts("unix:///var/run/docker.sock", "A", undefined, "remote")).location).toBe("remote");
    expect(classify(facts("unix:///var/run/docker.sock", "A", undefined, "")).location).toBe("local");
    expect(() => classify(facts("unix:///var/run/docker.sock", "A", undefined, "kubernetes"))).toThrow(UserError);
    expect(() => classify(facts("unix:///var/run/docker.sock", "A", undefined, "kubernetes"))).toThrow(/"kubernetes" is neither local nor remote/);
  });
});

describe("namedContext", () => {
  const configDir = (config?: object): string => {
    const dir = tempDir(onTestFinished);
    if (config) writeFileSync(join(dir, "config.json"), JSON.stringify(config));
    return dir;
  };

  it("is the default one, asked of no docker process, without a context in the environment or the config file", () => {
    expect(namedContext({ DOCKER_CONFIG: configDir() })).toBeUndefined();
    expect(namedContext({ DOCKER_CONFIG: configDir({ auths: {} }) })).toBeUndefined();
    expect(namedContext({ DOCKER_CONFIG: configDir({ currentContext: "default" }) })).toBeUndefined();
  });

  it("is the config file's current context, and DOCKER_CONTEXT before it", () => {
    const dir = configDir({ currentContext: "build-server" });
    expect(namedContext({ DOCKER_CONFIG: dir })).toBe("build-server");
    expect(namedContext({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: "desktop-linux" })).toBe("desktop-linux");
    expect(namedContext({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: "default" })).toBeUndefined();
  });

  it("reads the config file under HOME when DOCKER_CONFIG is not set", () => {
    const home = tempDir(onTestFinished);
    mkdirSync(join(home, ".docker"));
    writeFileSync(join(home, ".docker", "config.json"), JSON.stringify({ currentContext: "remote" }));
    expect(namedContext({ HOME: home })).toBe("remote");
  });
});
