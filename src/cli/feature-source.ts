/**
 * Where generated configs take the Features from, as the flags say. Vendored copies are the default: they
 * come up anywhere, today, offline, and match the version of this tool that wrote them. The GHCR references
 * only resolve once a release has published the Features, so they are used only when asked for by name
 * (--ghcr-features, or an owner whose Features are published, --features-owner): never silently.
 */
import { UserError } from "../errors.js";

export type FeatureSource = "local" | "ghcr";
export const DEFAULT_FEATURE_SOURCE: FeatureSource = "local";

export interface FeatureSourceFlags {
  localFeatures?: boolean | undefined;
  ghcrFeatures?: boolean | undefined;
  featuresOwner?: string | undefined;
}

/** The source the flags name, or undefined when they name none (the caller asks, or takes the default). */
export function featureSourceFromFlags(flags: FeatureSourceFlags): FeatureSource | undefined {
  const ghcr = flags.ghcrFeatures === true || flags.featuresOwner !== undefined;
  if (flags.localFeatures && ghcr) {
    const other = flags.ghcrFeatures ? "--ghcr-features" : "--features-owner";
    throw new UserError(`--local-features and ${other} conflict`, "vendored Features have no GHCR owner; pass one of them");
  }
  return flags.localFeatures ? "local" : ghcr ? "ghcr" : undefined;
}

export { ENV_BASE_IMAGE, ENV_NODE_MIRROR } from "../scaffold-defaults.js";
