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
        proposals: [DEFAULT_NODE_MIRROR],
        description: "Base URL of the official Node.js distribution, or a mirror with the same layout (checked against its SHASUMS256.txt).",
      },
      pattern: "^https?://[A-Za-z0-9.:/_~%+-]+$",
      expected: "an http(s) URL without quotes or spaces",
    },
  ];
}
