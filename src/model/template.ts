/**
 * devcontainer-template.json. No official schema exists (devcontainers/spec#349); this mirrors the
 * fields the devcontainer CLI reads (containerTemplatesConfiguration.ts).
 */
import type { FeatureOption } from "./feature.js";

export interface TemplateMetadata {
  id: string;
  version: string;
  name: string;
  description: string;
  documentationURL?: string;
  licenseURL?: string;
  publisher?: string;
  keywords?: string[];
  options?: Record<string, FeatureOption>;
  platforms?: string[];
  optionalPaths?: string[];
}
