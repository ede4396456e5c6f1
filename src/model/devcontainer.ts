/**
 * The part of devcontainer.json we emit, typed for our use. The official schema
 * (devContainer.base.schema.json) is the authority: tests validate every rendered file against it.
 */

export type LifecycleCommand = string | string[] | Record<string, string | string[]>;

export interface MountObject {
  type: "bind" | "volume";
  source?: string;
  target: string;
}

export interface DevContainerConfig {
  name: string;
  image: string;
  features?: Record<string, Record<string, string | boolean>>;
  overrideFeatureInstallOrder?: string[];
  containerUser?: string;
  remoteUser?: string;
  updateRemoteUserUID?: boolean;
  securityOpt?: string[];
  capAdd?: string[];
  runArgs?: string[];
  containerEnv?: Record<string, string>;
  remoteEnv?: Record<string, string>;
  /** Strings are `docker run --mount` specs: the only form that keeps `readonly`. */
  mounts?: (string | MountObject)[];
  workspaceMount?: string;
  workspaceFolder?: string;
  initializeCommand?: LifecycleCommand;
  onCreateCommand?: LifecycleCommand;
  postCreateCommand?: LifecycleCommand;
  postStartCommand?: LifecycleCommand;
  customizations?: Record<string, unknown>;
}
