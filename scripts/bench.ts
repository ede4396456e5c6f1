/**
 * `npm run bench`: runs each scripts/bench/<area>.ts module in turn and prints one table (also saved to
 * .bench/results.json). Timings are reported, never asserted: tests carry no thresholds.
 * `npm run bench -- scaffold images` runs only those areas.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { packagePath } from "../src/paths.js";
import { BASE_IMAGE, ensureNodeImage } from "../test/support/docker.js";
import { ensureNodeMirror } from "../test/support/node-mirror.js";
import { buildCli } from "./build-cli.js";

export interface Measurement {
  area: string;
  name: string;
  value: number;
  unit: string;
  note?: string;
  /** What the figure should be ("≤ 2 s"), and what it cannot beat (the same work done the plainest way). */
  goal?: string;
  floor?: string;
  /** The machine's 1-minute load average when the figure was taken: a shared machine skews every timing. */
  load: number;
}

export interface Reference {
  goal?: string;
  floor?: string;
}

type Report = (name: string, value: number, unit: string, note?: string, reference?: Reference) => void;

const dir = packagePath("scripts", "bench");
const wanted = process.argv.slice(2);
const areas = readdirSync(dir)
  .filter((file) => file.endsWith(".ts"))
  .map((file) => file.replace(/\.ts$/, ""))
  .filter((area) => wanted.length === 0 || wanted.includes(area))
  .sort();

// The test bed, as .ci/run sets it up: a Docker engine, the local base image and the image with Node.js.
for (const script of ["docker.sh", "base-image.sh", "chromium.sh"]) {
  execFileSync("bash", [packagePath("scripts", "testbed", script), ...(script === "base-image.sh" ? [BASE_IMAGE] : [])], { stdio: ["ignore", "inherit", "inherit"] });
}
ensureNodeImage(ensureNodeMirror().tarball);
// The CLI as it ships (test/support/cli.ts runs it).
await buildCli();

const results: Measurement[] = [];
for (const area of areas) {
  const module = (await import(`./bench/${area}.ts`)) as { run(report: Report): Promise<void> };
  process.stderr.write(`\n== ${area}\n`);
  await module.run((name, value, unit, note, reference = {}) => {
    const m: Measurement = { area, name, value: Math.round(value * 100) / 100, unit, ...(note ? { note } : {}), ...reference, load: Math.round(loadavg()[0]! * 100) / 100 };
    results.push(m);
    process.stderr.write(`  ${name}: ${m.value} ${unit}${note ? `  (${note})` : ""}\n`);
  });
}

if (!existsSync(packagePath(".bench"))) mkdirSync(packagePath(".bench"));
writeFileSync(packagePath(".bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log(
  [
    "| area | measurement | value | goal | floor | load | note |",
    "|---|---|---|---|---|---|---|",
    ...results.map((m) => `| ${m.area} | ${m.name} | ${m.value} ${m.unit} | ${m.goal ?? ""} | ${m.floor ?? ""} | ${m.load} | ${m.note ?? ""} |`),
  ].join("\n"),
);
