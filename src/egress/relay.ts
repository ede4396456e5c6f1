/**
 * The download half of a CONNECT tunnel, without a new buffer per read. Node.js reads a socket into a fresh
 * 64 KiB buffer each time and frees it only at a later garbage collection, so 100 MB through the enforcer
 * paged in tens of MB anew, each page charged to its container's memory cgroup: about half its CPU on a
 * first download (issue 23). A socket connected with `onread: pooledReads(...)` reads into buffers from a
 * small pool instead, each back in the pool once written on, and stops reading while the other side is full.
 */
import type { OnReadOpts, Socket } from "node:net";
import type { Writable } from "node:stream";

const SIZE = 64 * 1024;
/** Buffers kept for reuse (4 MiB); a burst beyond them allocates, and the garbage collector takes those. */
const KEEP = 64;
const pool: Uint8Array[] = [];

/** What `from()` reads, written to `to`; `from()` is the socket connected with this as its `onread`. */
export function pooledReads(to: Writable, from: () => Socket): OnReadOpts {
  return {
    buffer: () => pool.pop() ?? Buffer.allocUnsafe(SIZE),
    callback: (length, buffer) => {
      const more = to.write(buffer.subarray(0, length), () => void (pool.length < KEEP && pool.push(buffer)));
      // Returning false stops reading; resume() starts it again.
      if (!more) to.once("drain", () => from().resume());
      return more;
    },
  };
}
