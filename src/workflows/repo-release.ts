/**
 * This repository's release workflow, on a published GitHub release: the Features and Templates to GHCR
 * with the devcontainer CLI, the images (base first, the others FROM its digest) with provenance and the
 * standard tags, then the npm package with provenance — last, so a package never points at images or
 * Features that failed to publish.
 */
import { REPO_NAME } from "../features/refs.js";
import type { ImageSpec } from "../images/oci.js";
import { IMAGE_TAG } from "../images/refs.js";
import { ACTIONS, WORKFLOW_NODE, expr, type Step, type Workflow } from "./yaml.js";

/** GHCR names are lower-case; the owner is not necessarily. */
const OWNER_STEP: Step = { name: "Registry namespace", id: "owner", run: 'echo "owner=${GITHUB_REPOSITORY_OWNER,,}" >> "$GITHUB_OUTPUT"' };
const OWNER = expr("steps.owner.outputs.owner");

const checkout: Step = { uses: ACTIONS.checkout };
/** The devcontainer CLI authenticates to ghcr.io with it (after the login's credentials). */
const TOKEN = { GITHUB_TOKEN: expr("secrets.GITHUB_TOKEN") };
const login: Step = {
  uses: ACTIONS.login,
  with: { registry: "ghcr.io", username: expr("github.actor"), password: expr("secrets.GITHUB_TOKEN") },
};

/** metadata-action tags: the release's semver, the Features' major (what configs pin), and the commit. */
const TAGS = ["type=semver,pattern={{version}}", "type=semver,pattern={{major}}.{{minor}}", `type=raw,value=${IMAGE_TAG}`, "type=sha"].join("\n");

function imageSteps(name: string, title: string, description: string, build: Record<string, string>): Step[] {
  return [
    checkout,
    { uses: ACTIONS.setupQemu },
    { uses: ACTIONS.setupBuildx },
    login,
    OWNER_STEP,
    {
      id: "meta",
      uses: ACTIONS.metadata,
      with: {
        images: `ghcr.io/${OWNER}/${REPO_NAME}/images/${name}`,
        tags: TAGS,
        labels: `org.opencontainers.image.title=${title}\norg.opencontainers.image.description=${description}`,
      },
    },
    {
      id: "build",
      uses: ACTIONS.buildPush,
      with: {
        ...build,
        platforms: "linux/amd64,linux/arm64",
        push: true,
        tags: expr("steps.meta.outputs.tags"),
        labels: expr("steps.meta.outputs.labels"),
        annotations: expr("steps.meta.outputs.annotations"),
        provenance: "mode=max",
        sbom: true,
      },
    },
  ];
}

const IMAGE_PERMISSIONS = { contents: "read", packages: "write", "id-token": "write" };

export function releaseWorkflow(base: ImageSpec, images: readonly ImageSpec[]): Workflow {
  const namespace = `${OWNER}/${REPO_NAME}`;
  return {
    name: "Release",
    on: { release: { types: ["published"] } },
    permissions: { contents: "read" },
    jobs: {
      "features-and-templates": {
        name: "Features and Templates to GHCR",
        "runs-on": "ubuntu-latest",
        permissions: { contents: "read", packages: "write" },
        steps: [
          checkout,
          { uses: ACTIONS.setupNode, with: { "node-version": WORKFLOW_NODE, cache: "npm" } },
          { run: "npm ci" },
          { name: "Generated files are up to date", run: "npm run check:generated" },
          login,
          OWNER_STEP,
          // Each Feature has its own version (features/versions.json, bumped when its content changes); the CLI
          // skips a version the registry already has, so only the Features whose version is new are published.
          { name: "Publish the Features", run: `npx devcontainer features publish features/src --registry ghcr.io --namespace ${namespace}`, env: TOKEN },
          { name: "Publish the Templates", run: `npx devcontainer templates publish templates/src --registry ghcr.io --namespace ${namespace}/templates`, env: TOKEN },
        ],
      },
      "base-image": {
        name: `Image ${base.name}`,
        "runs-on": "ubuntu-latest",
        permissions: IMAGE_PERMISSIONS,
        outputs: { digest: expr("steps.build.outputs.digest") },
        steps: imageSteps(base.name, `${REPO_NAME} ${base.name}`, base.description, { context: "images/base" }),
      },
      images: {
        name: `Image ${expr("matrix.name")}`,
        needs: "base-image",
        "runs-on": "ubuntu-latest",
        permissions: IMAGE_PERMISSIONS,
        strategy: {
          "fail-fast": false,
          matrix: { include: images.map((image) => ({ name: image.name, description: image.description })) },
        },
        steps: imageSteps(expr("matrix.name"), `${REPO_NAME} ${expr("matrix.name")}`, expr("matrix.description"), {
          context: "features/src",
          file: `images/${expr("matrix.name")}/Dockerfile`,
          // FROM the base this release just pushed, by digest.
          "build-args": `BASE_IMAGE=ghcr.io/${OWNER}/${REPO_NAME}/images/${base.name}@${expr("needs.base-image.outputs.digest")}`,
        }),
      },
      npm: {
        name: "npm package",
        needs: ["features-and-templates", "images"],
        "runs-on": "ubuntu-latest",
        permissions: { contents: "read", "id-token": "write" },
        steps: [
          checkout,
          { uses: ACTIONS.setupNode, with: { "node-version": WORKFLOW_NODE, "registry-url": "https://registry.npmjs.org" } },
          {
            name: "The release tag is the package version",
            run: 'test "v$(node -p "require(\'./package.json\').version")" = "$GITHUB_REF_NAME"',
          },
          { run: "npm ci" },
          { run: "npm run build" },
          { run: "npm publish --provenance --access public", env: { NODE_AUTH_TOKEN: expr("secrets.NPM_TOKEN") } },
        ],
      },
    },
  };
}
