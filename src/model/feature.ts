/**
 * devcontainer-feature.json as we emit it. The official schema (devContainerFeature.schema.json)
 * rejects unknown properties, including "$schema", so nothing else may appear here.
 */
import type { LifecycleCommand, MountObject } from "./devcontainer.js";

export type FeatureOption =
  | { type: "boolean"; default: boolean; description: string }
  | { type: "string"; default: string; description: string; proposals?: string[]; enum?: string[] };

export interface FeatureMetadata {
  id: string;
  version: string;
  name: string;
  description: string;
  documentationURL?: string;
  licenseURL?: string;
  keywords?: string[];
  options?: Record<string, FeatureOption>;
  containerEnv?: Record<string, string>;
  mounts?: MountObject[];
  securityOpt?: string[];
  installsAfter?: string[];
  onCreateCommand?: LifecycleCommand;
  postCreateCommand?: LifecycleCommand;
  postStartCommand?: LifecycleCommand;
  customizations?: Record<string, unknown>;
}
