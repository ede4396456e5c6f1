/** The library: typed models, the agent catalogue, pure renderers and the writer. */
export * from "./catalogue/agents.js";
export type { DevContainerConfig, MountObject, LifecycleCommand } from "./model/devcontainer.js";
export type { FeatureMetadata, FeatureOption } from "./model/feature.js";
export type { TemplateMetadata } from "./model/template.js";
export type { ScaffoldOptions } from "./generated/scaffold-options.js";
export { renderAgentConfig } from "./render/devcontainer-json.js";
export { renderScaffold } from "./render/scaffold.js";
export type { Tree, RenderedFile } from "./core/tree.js";
export { writeTree, planWrite, EditConflictError } from "./write/writer.js";
