// Loads every delivery file listed in DIR/manifest.csv into a DuckDB table with read_csv (one table per
// dataset, rows appended), the way an analyst would load them: DuckDB detects types, dates and decimals,
// DAS's contracts are not used. Prints rows loaded and seconds.
// Usage: node duckdb_load.mjs DIR DBFILE
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';

const [dir, dbfile] = process.argv.slice(2);
const lines = readFileSync(`${dir}/manifest.csv`, 'utf8').trim().split('\n').slice(1);
// Each organisation's native dialect (docs/deliveries.md): what a user would tell read_csv.
const dialect = (file) => {
  if (file.startsWith('rechtspraak/')) return { delim: ';', decimal: ',', encoding: 'latin-1' };
  if (file.startsWith('politie/') || file.startsWith('halt/') || file.startsWith('rvdk/') || file.startsWith('dji/'))
    return { delim: ';', decimal: '.', encoding: 'utf-8' };
  if (file.startsWith('cbs/')) return { delim: ';', decimal: ',', encoding: 'utf-8' };
  return { delim: ',', decimal: '.', encoding: 'utf-8' };
};
const inst = await DuckDBInstance.create(dbfile);
const con = await inst.connect();
const t0 = process.hrtime.bigint();
const created = new Set();
let rows = 0n;
for (const line of lines) {
  const [file, , dataset] = line.split(',');
  const d = dialect(file);
  const src = `read_csv('${dir}/${file}', delim='${d.delim}', decimal_separator='${d.decimal}', ` +
              `encoding='${d.encoding}', header=true, all_varchar=false, union_by_name=false)`;
  const table = `t_${file.split('/')[0]}_${dataset}`.replace(/[^a-z0-9_]/gi, '_');
  if (!created.has(table)) {
    await con.run(`CREATE TABLE ${table} AS SELECT * FROM ${src}`);
    created.add(table);
  } else {
    await con.run(`INSERT INTO ${table} BY NAME SELECT * FROM ${src}`);
  }
}
await con.run('CHECKPOINT');
for (const t of created) {
  const r = await con.runAndReadAll(`SELECT count(*) FROM ${t}`);
  rows += BigInt(r.getRows()[0][0]);
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ rows: Number(rows), seconds: secs, tables: created.size }));
