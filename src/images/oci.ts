/** What every image says about itself: OCI annotations as labels, from the package's own facts. */
import { REPO_URL } from "../features/refs.js";

export interface ImageRelease {
  /** The package version the images are released with. */
  version: string;
  /** SPDX licence expression of the package. */
  license: string;
  /** GitHub owner whose GHCR namespace publishes the images and Features. */
  owner: string;
}

export interface ImageSpec {
  name: string;
  description: string;
}

export function ociLabels(image: ImageSpec, release: ImageRelease): Record<string, string> {
  return {
    "org.opencontainers.image.title": `create-agent-devcontainer ${image.name}`,
    "org.opencontainers.image.description": image.description,
    "org.opencontainers.image.source": REPO_URL,
    "org.opencontainers.image.documentation": `${REPO_URL}/tree/main/images/${image.name}`,
    "org.opencontainers.image.licenses": release.license,
    "org.opencontainers.image.version": release.version,
  };
}
