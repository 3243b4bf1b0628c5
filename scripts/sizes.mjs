// Prints raw / gzip -9 / brotli -q 11 sizes of the given files and their total.
// Imported by the size tests for the same numbers.
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** Raw, gzip and brotli byte counts of one file. */
export function sizes(path) {
  const bytes = readFileSync(path);
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Rows of `sizes` for each path, plus a total row. */
export function sizeTable(paths) {
  const rows = paths.map((path) => ({ path, ...sizes(path) }));
  const total = { path: "total", raw: 0, gzip: 0, brotli: 0 };
  for (const row of rows) for (const k of ["raw", "gzip", "brotli"]) total[k] += row[k];
  return [...rows, total];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = sizeTable(process.argv.slice(2));
  const pad = (s, n) => String(s).padStart(n);
  console.log(`${"file".padEnd(34)}${pad("raw", 9)}${pad("gzip", 9)}${pad("brotli", 9)}`);
  for (const r of rows) console.log(`${r.path.padEnd(34)}${pad(r.raw, 9)}${pad(r.gzip, 9)}${pad(r.brotli, 9)}`);
}
