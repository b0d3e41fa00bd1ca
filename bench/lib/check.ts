/**
 * Runs the checker on one file as a child process, measuring wall time, CPU
 * time and peak RSS, then parses its JSON report once and keeps only a
 * compact index of the findings (rule → line numbers).
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const DEFAULT_CHECK_CMD = "node dist/cli.js check --format json --fail-on never {file}";

/** V8's maximum string length is ~2^29 characters; stay clearly below it. */
const MAX_JSON_BYTES = 500_000_000;

export interface Measurement {
  /** Wall-clock seconds from spawn to exit. */
  seconds: number;
  /** User + system CPU seconds of the child (GNU time only, else null). */
  cpuSeconds: number | null;
  /** Peak resident set size in bytes, or null if it could not be measured. */
  peakRssBytes: number | null;
  /** How peak RSS was measured. */
  rssMethod: "gnu-time" | "proc-vmhwm" | "none";
  exitCode: number | null;
  stdoutBytes: number;
  stderrTail: string;
}

export interface CheckReport {
  path: string;
  format: string | undefined;
  rows: number | undefined;
  fields: Record<string, unknown> | undefined;
  labels: Record<string, number> | undefined;
  summary: Record<string, number> | undefined;
  findingCount: number;
  /** Findings without a line (file-level). */
  unlocated: Record<string, number>;
  /** Lines (1-based) with at least one finding of the rule; may contain repeats. */
  linesByRule: Map<string, Int32Array>;
  /** Rules and counts by severity. */
  severities: Record<string, number>;
  /** near-duplicate findings: the row's line, the related (cluster's first) row's line and the reported similarity. */
  nearDuplicates: { line: number; related: number; similarity: number }[];
  /** Non-fatal contract problems noticed while reading the report. */
  warnings: string[];
}

export interface CheckRun {
  command: string;
  measurement: Measurement;
  report: CheckReport;
  /** Seconds spent reading + parsing + indexing the JSON in the bench process. */
  parseSeconds: number;
  /** Fast membership test: does `line` carry a finding of `rule`? */
  has(rule: string, line: number): boolean;
}

/** Shell-quote one argument for /bin/sh. */
export function shQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Substitute `{file}` (or append the file) into a command template. */
export function buildCommand(template: string, file: string): string {
  const q = shQuote(file);
  return template.includes("{file}") ? template.split("{file}").join(q) : `${template} ${q}`;
}

let gnuTimeCache: string | null | undefined;
/** Path of GNU time if installed (`apt-get install -y time`), else null. */
export function findGnuTime(): string | null {
  if (gnuTimeCache !== undefined) return gnuTimeCache;
  gnuTimeCache = null;
  for (const p of ["/usr/bin/time", "/bin/time"]) {
    if (!fs.existsSync(p)) continue;
    const r = spawnSync(p, ["--version"], { encoding: "utf8" });
    if (/GNU/i.test(`${r.stdout}${r.stderr}`)) {
      gnuTimeCache = p;
      break;
    }
  }
  return gnuTimeCache;
}

export interface RunOptions {
  cwd: string;
  /** Force the /proc polling fallback even if GNU time exists. */
  noGnuTime?: boolean;
  /**
   * Read the checker's output from the pipe but keep none of it (stdout comes back empty): a timed run
   * whose report is not needed leaves the bench process no garbage to collect while later sections run.
   */
  discardStdout?: boolean;
}

/** Spawn `command` through /bin/sh, collect stdout as Buffers, measure it. */
export async function measureCommand(command: string, o: RunOptions): Promise<{ stdout: Buffer; m: Measurement }> {
  const gnuTime = o.noGnuTime ? null : findGnuTime();
  const tmp = gnuTime ? path.join(os.tmpdir(), `tuneset-bench-time-${process.pid}-${Date.now()}.txt`) : "";
  // `exec` makes the shell replace itself, so the measured process is the checker itself.
  const shArgs = ["-c", `exec ${command}`];
  const [bin, args] = gnuTime ? [gnuTime, ["-o", tmp, "-f", "%M %U %S", "/bin/sh", ...shArgs]] : ["/bin/sh", shArgs];

  const t0 = process.hrtime.bigint();
  const child = spawn(bin, args, { cwd: o.cwd, stdio: ["ignore", "pipe", "pipe"] });
  const chunks: Buffer[] = [];
  let stdoutBytes = 0;
  child.stdout.on("data", (b: Buffer) => {
    if (!o.discardStdout) chunks.push(b);
    stdoutBytes += b.length;
  });
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => {
    stderr = (stderr + b.toString("utf8")).slice(-16_384);
  });

  // Fallback: poll VmHWM (the kernel's own peak-RSS high-water mark) until exit.
  let hwmKb = 0;
  let poll: NodeJS.Timeout | undefined;
  if (!gnuTime && child.pid !== undefined && fs.existsSync(`/proc/${child.pid}/status`)) {
    const statusPath = `/proc/${child.pid}/status`;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(statusPath, "utf8"));
        if (m) hwmKb = Math.max(hwmKb, Number(m[1]));
      } catch {
        /* process gone */
      }
    };
    sample();
    poll = setInterval(sample, 20);
  }

  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve(code));
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (poll) clearInterval(poll);

  let peakRssBytes: number | null = null;
  let cpuSeconds: number | null = null;
  let rssMethod: Measurement["rssMethod"] = "none";
  if (gnuTime) {
    try {
      const txt = fs.readFileSync(tmp, "utf8").trim().split("\n").pop() ?? "";
      const [kb, user, sys] = txt.split(/\s+/).map(Number);
      if (Number.isFinite(kb)) {
        peakRssBytes = kb * 1024;
        rssMethod = "gnu-time";
      }
      if (Number.isFinite(user) && Number.isFinite(sys)) cpuSeconds = user + sys;
    } catch {
      /* ignore */
    }
    fs.rmSync(tmp, { force: true });
  } else if (hwmKb > 0) {
    peakRssBytes = hwmKb * 1024;
    rssMethod = "proc-vmhwm";
  }
  return {
    stdout: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks),
    m: { seconds, cpuSeconds, peakRssBytes, rssMethod, exitCode, stdoutBytes, stderrTail: stderr },
  };
}

export async function runCheck(template: string, file: string, absFile: string, o: RunOptions): Promise<CheckRun> {
  const command = buildCommand(template, file);
  const { stdout, m } = await measureCommand(command, o);
  if (m.exitCode !== 0) {
    throw new Error(`checker exited with code ${m.exitCode}: ${command}\n${m.stderrTail.trim().split("\n").slice(-15).join("\n")}`);
  }
  const t0 = process.hrtime.bigint();
  const report = indexReport(stdout, file, absFile, o.cwd);
  const parseSeconds = Number(process.hrtime.bigint() - t0) / 1e9;

  const bitmaps = new Map<string, Uint8Array>();
  const maxLine = () => {
    let max = 0;
    for (const a of report.linesByRule.values()) for (let i = 0; i < a.length; i++) if (a[i] > max) max = a[i];
    return max;
  };
  let size = -1;
  return {
    command,
    measurement: m,
    report,
    parseSeconds,
    has(rule, line) {
      let bm = bitmaps.get(rule);
      if (!bm) {
        if (size < 0) size = maxLine() + 2;
        bm = new Uint8Array(size);
        const lines = report.linesByRule.get(rule);
        if (lines) for (let i = 0; i < lines.length; i++) bm[lines[i]] = 1;
        bitmaps.set(rule, bm);
      }
      return line < bm.length && bm[line] === 1;
    },
  };
}

/** Shapes of the report as received: nothing trusted until checked. */
interface RawDoc {
  version?: unknown;
  files?: unknown;
}
interface RawFile {
  path?: unknown;
  format?: unknown;
  rows?: unknown;
  fields?: unknown;
  labels?: unknown;
  findings?: unknown;
  summary?: unknown;
}
interface RawFinding {
  rule?: unknown;
  severity?: unknown;
  line?: unknown;
  similarity?: unknown;
  related?: { line?: unknown }[];
}

/** Parse the report once and reduce it to a compact index; the big object graph is dropped on return. */
function indexReport(stdout: Buffer, file: string, absFile: string, cwd: string): CheckReport {
  if (stdout.length === 0) throw new Error("checker printed nothing on stdout");
  if (stdout.length > MAX_JSON_BYTES) {
    throw new Error(`checker output is ${(stdout.length / 1e6).toFixed(0)} MB; too large to parse as one JSON string`);
  }
  let doc: RawDoc;
  try {
    doc = JSON.parse(stdout.toString("utf8")) as RawDoc;
  } catch (e) {
    const head = stdout.subarray(0, 200).toString("utf8");
    throw new Error(`checker output is not JSON (${(e as Error).message}); starts with: ${JSON.stringify(head)}`);
  }
  const warnings: string[] = [];
  if (doc?.version !== 1) warnings.push(`report version is ${JSON.stringify(doc?.version)}, expected 1`);
  const files: RawFile[] = Array.isArray(doc?.files) ? (doc.files as RawFile[]) : [];
  if (files.length === 0) throw new Error("report has no files[]");
  const f =
    files.find((x) => typeof x?.path === "string" && path.resolve(cwd, x.path) === path.resolve(absFile)) ??
    (files.length === 1 ? files[0] : undefined);
  if (!f) throw new Error(`report has ${files.length} files, none matching ${file}`);
  if (files.length > 1) warnings.push(`report lists ${files.length} files; using ${f.path}`);

  const findings: RawFinding[] = Array.isArray(f.findings) ? (f.findings as RawFinding[]) : [];
  if (!Array.isArray(f.findings)) warnings.push("file entry has no findings[]");
  const byRule = new Map<string, number[]>();
  const unlocated: Record<string, number> = {};
  const severities: Record<string, number> = {};
  const nearDuplicates: CheckReport["nearDuplicates"] = [];
  let badLines = 0;
  for (const x of findings) {
    const rule = typeof x?.rule === "string" ? x.rule : "(no rule)";
    if (rule === "near-duplicate" && typeof x.line === "number") {
      const related = x.related?.[0]?.line;
      nearDuplicates.push({ line: x.line, related: typeof related === "number" ? related : -1, similarity: typeof x.similarity === "number" ? x.similarity : NaN });
    }
    const sev = typeof x?.severity === "string" ? x.severity : "(none)";
    severities[sev] = (severities[sev] ?? 0) + 1;
    const line = x?.line;
    if (typeof line !== "number" || !Number.isInteger(line) || line < 1) {
      if (line !== undefined && line !== null) badLines++;
      unlocated[rule] = (unlocated[rule] ?? 0) + 1;
      continue;
    }
    let arr = byRule.get(rule);
    if (!arr) byRule.set(rule, (arr = []));
    arr.push(line);
  }
  if (badLines) warnings.push(`${badLines} findings have a non-integer or < 1 line`);
  const linesByRule = new Map<string, Int32Array>();
  for (const [rule, arr] of byRule) linesByRule.set(rule, Int32Array.from(arr));

  // Cross-check summary counts against the findings.
  if (f.summary && typeof f.summary === "object") {
    for (const [rule, n] of Object.entries(f.summary as Record<string, number>)) {
      const have = (byRule.get(rule)?.length ?? 0) + (unlocated[rule] ?? 0);
      if (have !== n) warnings.push(`summary says ${n} × ${rule}, findings list ${have}`);
    }
  }
  return {
    path: String(f.path),
    format: typeof f.format === "string" ? f.format : undefined,
    rows: typeof f.rows === "number" ? f.rows : undefined,
    fields: f.fields as Record<string, unknown> | undefined,
    labels: f.labels as Record<string, number> | undefined,
    summary: f.summary as Record<string, number> | undefined,
    findingCount: findings.length,
    unlocated,
    linesByRule,
    severities,
    nearDuplicates,
    warnings,
  };
}
