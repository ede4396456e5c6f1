/**
 * The egress benchmark's download figures, shared by the e2e test and `npm run bench -- egress`: curl's total
 * time and its set-up (name, connection, a proxy's CONNECT, TLS), so the transfer can be compared apart.
 */
import { median } from "../../scripts/bench/support.js";

/** curl's `-w` for one download: total, then set-up, in seconds. */
export const CURL_TIMING = "%{time_total} %{time_pretransfer}";

export type Timing = [total: number, setUp: number];

export function parseTiming(out: string): Timing {
  return out.trim().split(" ").map(Number) as Timing;
}

/** Medians of the runs' total, set-up and transfer (total less set-up). */
export function summarize(runs: readonly Timing[]): { total: number; setUp: number; transfer: number } {
  return {
    total: median(runs.map(([total]) => total)),
    setUp: median(runs.map(([, setUp]) => setUp)),
    transfer: median(runs.map(([total, setUp]) => total - setUp)),
  };
}
