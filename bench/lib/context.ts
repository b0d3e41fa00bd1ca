/** What bench sections get to work with. */
import type { CheckRun } from "./check";
import type { Dataset } from "./datasets";
import type { Cell, TableOptions } from "./table";

export interface BenchContext {
  /** Repo root (absolute). */
  root: string;
  /** bench/data (absolute). */
  dataDir: string;
  /** Datasets selected for this run (`--only`), smallest first. */
  datasets: Dataset[];
  /** Checker command template; `{file}` is replaced by the dataset path. */
  checkCmd: string;
  /** Parsed command-line flags (`--name value` / `--flag`), for section-specific options. */
  flags: Record<string, string | true>;
  /**
   * Run the checker on a dataset (memoised: every section shares one run per
   * dataset). Sections that need the checker's report call this.
   */
  check(ds: Dataset): Promise<CheckRun>;
  /** Print a line (or lines) to the report. */
  print(text?: string): void;
  /** Print a table. */
  table(headers: string[], rows: Cell[][], opts?: TableOptions): void;
  /** Progress / diagnostic output (stderr, not part of the report). */
  log(msg: string): void;
}

/**
 * One part of the benchmark report. `run` prints its own section of the
 * report and returns the figures to store under `sections[id]` in
 * bench/results.json. Add a new section by writing bench/sections/<id>.ts
 * and listing it in bench/sections/index.ts.
 */
export interface BenchSection {
  id: string;
  title: string;
  run(ctx: BenchContext): Promise<unknown>;
}
