// The reference for issue 22's ratio: DuckDB (@duckdb/node-api, a dev dependency of the bench only)
// computing a JSONL file's label counts and exact-duplicate counts (rows whose text occurs more than
// once, by the raw text) on 2 threads. Prints one JSON line: the counts and the seconds of each step.
//
//   node bench/tools/duckdb-count.mjs FILE.jsonl [--threads 2]
//
// The file is read once into a table (lines that are not JSON objects are skipped), then queried twice.
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
const at = args.indexOf('--threads');
const threads = at >= 0 ? Number(args[at + 1]) : 2;
const file = args.find((a, i) => !a.startsWith('--') && (at < 0 || i !== at + 1));
if (!file || !Number.isInteger(threads) || threads < 1) {
  console.error('usage: node bench/tools/duckdb-count.mjs FILE.jsonl [--threads 2]');
  process.exit(2);
}
const t0 = performance.now();
const seconds = (t) => Math.round(t) / 1000;
const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const con = await instance.connect();
const tOpen = performance.now();
const quoted = `'${file.replace(/'/g, "''")}'`;
await con.run(
  `CREATE TABLE rows AS SELECT text, label FROM read_json(${quoted}, format = 'newline_delimited', ` +
    `columns = {text: 'VARCHAR', label: 'VARCHAR'}, ignore_errors = true, maximum_object_size = 268435456)`,
);
const tLoad = performance.now();
const labels = (await con.runAndReadAll('SELECT label, count(*)::INTEGER AS n FROM rows GROUP BY label ORDER BY n DESC')).getRowObjectsJson();
const tLabels = performance.now();
const [dups] = (
  await con.runAndReadAll(
    'SELECT count(*)::INTEGER AS texts, coalesce(sum(n), 0)::INTEGER AS rows, coalesce(sum(n - 1), 0)::INTEGER AS extra ' +
      'FROM (SELECT text, count(*) AS n FROM rows WHERE text IS NOT NULL GROUP BY text HAVING count(*) > 1)',
  )
).getRowObjectsJson();
const tDups = performance.now();
const [{ n: rows }] = (await con.runAndReadAll('SELECT count(*)::INTEGER AS n FROM rows')).getRowObjectsJson();
console.log(
  JSON.stringify({
    threads,
    rows,
    labels: Object.fromEntries(labels.map((r) => [r.label ?? '(none)', r.n])),
    duplicates: { texts: dups.texts, rows: dups.rows, extraCopies: dups.extra },
    seconds: { open: seconds(tOpen - t0), load: seconds(tLoad - tOpen), labels: seconds(tLabels - tLoad), duplicates: seconds(tDups - tLabels), total: seconds(tDups - t0) },
  }),
);
