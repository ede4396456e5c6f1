/** Opening a launched container in VS Code: the attached-container URI its Dev Containers extension reads. */

/** vscode-remote://attached-container+<hex of {"containerName":"/<name>"}><folder> */
export function attachedContainerUri(name: string, folder: string): string {
  const hex = Buffer.from(JSON.stringify({ containerName: `/${name}` }), "utf8").toString("hex");
  return `vscode-remote://attached-container+${hex}${folder.startsWith("/") ? folder : `/${folder}`}`;
}
