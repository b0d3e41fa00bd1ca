/** Benchmark datasets: generated on demand, cached in bench/data/. */
import * as fs from "node:fs";
import * as path from "node:path";
import { generate, GENERATOR_VERSION, TRUTH_VERSION, type Truth } from "./gen";

export interface DatasetSpec {
  /** Short id used on the command line (`--only 100k`) and in results.json. */
  id: string;
  /** Display name. */
  name: string;
  rows: number;
}

export const DATASETS: readonly DatasetSpec[] = [
  { id: "100k", name: "100k", rows: 100_000 },
  { id: "1m", name: "1M", rows: 1_000_000 },
];

export interface Dataset extends DatasetSpec {
  /** Path relative to the repo root (what is passed to the checker). */
  file: string;
  absFile: string;
  bytes: number;
  truth: Truth;
  /** Set when this run (re)generated the file. */
  generatedMs?: number;
  /** For each line (index = 1-based line): index+1 into `kinds`, or 0 for a clean row. */
  kindAt: Uint8Array;
  /** Fault kinds in truth order; `kindAt` values point into this. */
  kinds: string[];
  /** 1 where the line is the original of a planted duplicate / conflict / near-duplicate pair. */
  isOriginal: Uint8Array;
}

export interface EnsureOptions {
  root: string;
  dataDir: string;
  seed: number;
  regen: boolean;
  log: (msg: string) => void;
}

export async function ensureDataset(spec: DatasetSpec, o: EnsureOptions): Promise<Dataset> {
  const absFile = path.join(o.dataDir, `bench-${spec.id}.jsonl`);
  const truthPath = `${absFile}.truth.json`;
  let truth: Truth | null = null;
  let generatedMs: number | undefined;
  if (!o.regen) truth = loadCached(absFile, truthPath, spec.rows, o.seed);
  if (!truth) {
    o.log(`generating ${path.relative(o.root, absFile)} (${spec.rows.toLocaleString("en-US")} rows, seed ${o.seed}) …`);
    const r = await generate({ rows: spec.rows, out: absFile, seed: o.seed });
    truth = r.truth;
    generatedMs = r.ms;
    o.log(`  done in ${(r.ms / 1000).toFixed(1)} s, ${(r.bytes / 1e6).toFixed(1)} MB`);
  }
  const kinds = Object.keys(truth.faults);
  const kindAt = new Uint8Array(truth.rows + 2);
  kinds.forEach((k, i) => {
    for (const l of truth!.faults[k].lines) kindAt[l] = i + 1;
  });
  const isOriginal = new Uint8Array(truth.rows + 2);
  for (const [, orig] of truth.duplicates) isOriginal[orig] = 1;
  for (const [, orig] of truth.conflicts) isOriginal[orig] = 1;
  for (const [, orig] of truth.nearPairs) isOriginal[orig] = 1;
  for (const [, orig] of truth.nearConflicts) isOriginal[orig] = 1;
  return {
    ...spec,
    file: path.relative(o.root, absFile),
    absFile,
    bytes: truth.bytes,
    truth,
    generatedMs,
    kindAt,
    kinds,
    isOriginal,
  };
}

function loadCached(file: string, truthPath: string, rows: number, seed: number): Truth | null {
  try {
    const t = JSON.parse(fs.readFileSync(truthPath, "utf8")) as Truth;
    const ok =
      t.version === TRUTH_VERSION &&
      t.generatorVersion === GENERATOR_VERSION &&
      t.rows === rows &&
      t.seed === seed &&
      fs.statSync(file).size === t.bytes;
    return ok ? t : null;
  } catch {
    return null;
  }
}
