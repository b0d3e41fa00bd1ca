/**
 * A fixed CPU workload, timed in a fresh Node process before the report and before each
 * engine-target run: this machine's speed drifts by ±30% and more from minute to minute (a shared
 * VM), so figures are printed with the reference time measured beside them. (A fresh process,
 * because the bench process itself may be collecting the garbage of a 45 MB report meanwhile.)
 */
import { spawnSync } from "node:child_process";

const LOOP = `
const data = new Uint8Array(16 * 1024 * 1024);
for (let i = 0; i < data.length; i++) data[i] = (i * 2654435761) >>> 24;
let best = Infinity, h = 0x811c9dc5;
for (let rep = 0; rep < 3; rep++) {
  const t = performance.now();
  for (let i = 0; i < data.length; i++) h = Math.imul(h ^ data[i], 0x01000193);
  best = Math.min(best, performance.now() - t);
}
console.log(h === 0.5 ? -1 : Math.round(best * 10) / 10);
`;

/** Milliseconds of the reference loop (lower is faster); NaN if it could not run. */
export function referenceMs(): number {
  const r = spawnSync(process.execPath, ["-e", LOOP], { encoding: "utf8" });
  return Number(r.stdout.trim());
}
