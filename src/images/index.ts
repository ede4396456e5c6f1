/** Renders images/: the base image, the all-agents image and one image per agent, each with its README. */
import { agent, isAgentId } from "../catalogue/agents.js";
import { mergeTrees, prefixTree, type Tree } from "../core/tree.js";
import { renderBaseImage } from "./base.js";
import { featureSources, isAgentFeature, type FeatureSource } from "./features.js";
import { renderFeatureImageDockerfile, type FeatureImage } from "./feature-image.js";
import type { ImageRelease } from "./oci.js";
import { renderBaseReadme, renderFeatureImageReadme, renderImagesOverview } from "./readme.js";
import { AGENTS_IMAGE_NAME } from "./refs.js";

/**
 * The images FROM base: `agents` with every Feature, and one per agent with the shared Features and that
 * agent's. Every image FROM base (not FROM agents): a one-agent image then carries one agent, not four,
 * and all of them share base's layers in a registry and on a host.
 */
export function featureImages(features: readonly FeatureSource[]): FeatureImage[] {
  const shared = features.filter((feature) => !isAgentFeature(feature));
  const agents = features.filter(isAgentFeature);
  const titles = agents.map((feature) => feature.metadata.name).join(", ");
  return [
    {
      spec: { name: AGENTS_IMAGE_NAME, description: `Every agent (${titles}) with its hooks, on the base image.` },
      features: [...shared, ...agents],
    },
    ...agents.map((feature) => {
      if (!isAgentId(feature.id)) throw new Error(`not an agent: ${feature.id}`);
      const record = agent(feature.id);
      return {
        spec: { name: record.id, description: `${record.title} (${record.npmPackage}) with its hooks, on the base image.` },
        features: [...shared, feature],
      };
    }),
  ];
}

/** @param featuresTree the rendered Features (features/src/<id>/…), the registry of what images install. */
export function renderImages(featuresTree: Tree, release: ImageRelease): Tree {
  const images = featureImages(featureSources(featuresTree));
  return mergeTrees(
    new Map([["images/README.md", { content: renderImagesOverview(images, release) }]]),
    prefixTree("images/base", renderBaseImage(release)),
    new Map([["images/base/README.md", { content: renderBaseReadme(release) }]]),
    ...images.map((image) =>
      prefixTree(
        `images/${image.spec.name}`,
        new Map([
          ["Dockerfile", { content: renderFeatureImageDockerfile(image.spec, image.features, release) }],
          ["README.md", { content: renderFeatureImageReadme(image, release) }],
        ]),
      ),
    ),
  );
}
