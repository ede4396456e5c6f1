/**
 * Options every agent Feature takes. Each carries the pattern install.sh enforces, so a bad value fails the
 * build naming the option, and nothing that could break out of the CLI's quoted env file gets through.
 */
import type { FeatureOption } from "../model/feature.js";

export interface OptionSpec {
  /** The Feature option name; install.sh reads it upper-cased (`nodeVersion` → NODEVERSION). */
  name: string;
  option: Extract<FeatureOption, { type: "string" }>;
  /** POSIX ERE the value must match (checked in install.sh; an empty value means the default). */
  pattern: string;
  expected: string;
}

export const DEFAULT_NODE_MAJOR = "24";
export const DEFAULT_NODE_MIRROR = "https://nodejs.org/dist";
/**
 * nodeMirror's value for the npm registry as the Node.js source. A value of nodeMirror, not an option of its
 * own: it answers the same question (where Node.js comes from), so the two can never disagree, and it travels
 * wherever nodeMirror already does (--node-mirror, CREATE_AGENT_DEVCONTAINER_NODE_MIRROR, launch, Templates).
 */
export const NPM_NODE_SOURCE = "npm";
/** A mirror URL, npm (the build environment's npm registry, else npm's default), or npm:<registry URL>. */
export const NODE_SOURCE_PATTERN = "^(https?://[A-Za-z0-9.:/_~%+-]+|npm|npm:https?://[A-Za-z0-9.:/_~%+-]+)$";

export function agentOptions(npmPackage: string): OptionSpec[] {
  return [
    {
      name: "version",
      option: {
        type: "string",
        default: "latest",
        proposals: ["latest"],
        description: `Version of ${npmPackage} to install: an npm version, range or dist-tag.`,
      },
      pattern: "^[~^]?[A-Za-z0-9][A-Za-z0-9._+-]*$",
      expected: "an npm version, range or dist-tag such as latest or 1.2.3",
    },
    ...nodeOptions(),
  ];
}

export function nodeOptions(): OptionSpec[] {
  return [
    {
      name: "nodeVersion",
      option: {
        type: "string",
        default: DEFAULT_NODE_MAJOR,
        proposals: [DEFAULT_NODE_MAJOR, "22", "none"],
        description:
          "Node.js to install when the image has none: a major version or an exact one (24.11.1); 'none' requires the image's own Node.js.",
      },
      pattern: "^([0-9]+|[0-9]+\\.[0-9]+\\.[0-9]+|none)$",
      expected: "a major version (24), an exact version (24.11.1) or none",
    },
    {
      name: "nodeMirror",
      option: {
        type: "string",
        default: DEFAULT_NODE_MIRROR,
        proposals: [DEFAULT_NODE_MIRROR, NPM_NODE_SOURCE],
        description:
          "Where Node.js comes from: the official distribution's base URL or a mirror with its layout (checked against its SHASUMS256.txt); " +
          "or 'npm' for the official Linux build from the npm registry (the node-linux-<arch> package, checked against the registry's sha512 integrity), " +
          "'npm:<registry URL>' for a registry of your own, which then also serves the agent's npm install.",
      },
      pattern: NODE_SOURCE_PATTERN,
      expected: "an http(s) URL, npm, or npm:<http(s) registry URL>, without quotes or spaces",
    },
  ];
}
