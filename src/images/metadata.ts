/**
 * The `devcontainer.metadata` image label (Dev Containers spec, "image metadata"): what a config that only
 * names the image still gets — the user, the security options and every installed Feature's lifecycle
 * hooks. It mirrors what the devcontainer CLI records when it builds Features itself.
 */
import { featureRef } from "../features/refs.js";
import type { FeatureSource } from "./features.js";

export const METADATA_LABEL = "devcontainer.metadata";

/** Feature properties the CLI carries into image metadata (containerEnv goes into ENV instead). */
const FEATURE_KEYS = [
  "onCreateCommand",
  "updateContentCommand",
  "postCreateCommand",
  "postStartCommand",
  "postAttachCommand",
  "init",
  "privileged",
  "capAdd",
  "securityOpt",
  "entrypoint",
  "mounts",
  "customizations",
] as const;

export type MetadataEntry = Record<string, unknown>;

/** The image's own entry: who runs in it and how it is contained, as our configs set it. */
export function imageEntry(user: string): MetadataEntry {
  return {
    containerUser: user,
    remoteUser: user,
    updateRemoteUserUID: false,
    securityOpt: ["no-new-privileges:true"],
  };
}

export function featureEntry(feature: FeatureSource, owner: string): MetadataEntry {
  const entry: MetadataEntry = { id: featureRef(feature.id, { featureSource: "ghcr", featureOwner: owner }) };
  const metadata = feature.metadata as unknown as Record<string, unknown>;
  for (const key of FEATURE_KEYS) if (metadata[key] !== undefined) entry[key] = metadata[key];
  return entry;
}

export function imageMetadata(user: string, features: readonly FeatureSource[], owner: string): MetadataEntry[] {
  return [imageEntry(user), ...features.map((feature) => featureEntry(feature, owner))];
}
