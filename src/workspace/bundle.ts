/**
 * Reads the header of a git bundle (v2 or v3) that came out of a container, so the host can decide what it
 * is willing to import before git sees a byte of it. The pack after the header goes to `git index-pack`.
 */

export interface BundleHeader {
  /** Commits the receiver must already have. */
  prerequisites: string[];
  refs: { oid: string; name: string }[];
  /** Where the pack data starts. */
  packOffset: number;
}

const OID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** Far beyond any honest header of the one or two refs we ask for. */
const MAX_HEADER = 1024 * 1024;

export class BundleError extends Error {}

export function parseBundleHeader(data: Buffer): BundleHeader {
  const end = data.subarray(0, MAX_HEADER).indexOf("\n\n");
  if (end < 0) throw new BundleError("not a git bundle (no header end)");
  const [signature = "", ...lines] = data.subarray(0, end).toString("utf8").split("\n");
  if (signature !== "# v2 git bundle" && signature !== "# v3 git bundle") throw new BundleError(`not a git bundle (${JSON.stringify(signature.slice(0, 40))})`);
  const header: BundleHeader = { prerequisites: [], refs: [], packOffset: end + 2 };
  for (const line of lines) {
    if (line.startsWith("@")) {
      // v3 capabilities: only the default object format; a filtered (partial) bundle is not accepted.
      if (line !== "@object-format=sha1" && line !== "@object-format=sha256") throw new BundleError(`unsupported bundle capability ${JSON.stringify(line)}`);
    } else if (line.startsWith("-")) {
      const oid = line.slice(1).split(" ")[0] ?? "";
      if (!OID.test(oid)) throw new BundleError(`bad prerequisite ${JSON.stringify(line.slice(0, 80))}`);
      header.prerequisites.push(oid);
    } else {
      const space = line.indexOf(" ");
      const oid = line.slice(0, space);
      const name = line.slice(space + 1);
      if (space < 0 || !OID.test(oid) || !/^refs\/[\x21-\x7e]+$/.test(name)) throw new BundleError(`bad ref line ${JSON.stringify(line.slice(0, 80))}`);
      header.refs.push({ oid, name });
    }
  }
  return header;
}
