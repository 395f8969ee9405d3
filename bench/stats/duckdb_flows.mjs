// DuckDB peer of the statistics benchmark (issue 5): computes the grouping sets of das's flow tables
// (config/stats/tabellen.toml, docs/statistics.md) from chain_stage_units exported as CSV
// (`das export table chain_stage_units --store DB --out FILE.csv`), with SQL an analyst would write:
//
//   Regio      per stage: year > quarter > month  x  NL > province > gemeente      inflow, outflow, stock
//   Politie    per stage: year  x  NL > police unit                                 inflow, outflow, stock
//   Kenmerken  per stage: year  x  ROLLUP(scm_level1, scm_level2, scm_level3)
//                               x  ROLLUP(minor, age_group)  x  ROLLUP(sex)         inflow, outflow, stock
//   Uitstroom  per stage: year > quarter  x  (all, exit_type)  x  NL > province     outflow
//
// Definitions as in das (docs/statistics.md): a unit counts when it has an entry date (and quality is not
// no_entry_date); inflow = entry in the period; outflow = exit in the period (an exit before the entry counts
// as a zero-day stay); stock at the end of P = entered on or before the end of P and not exited by then, which
// includes units that entered before `from`. Stocks are computed as in das: per leaf cell a difference series
// over the finest periods (+1 at entry or at the first period for earlier entries, -1 at exit), made dense over
// all finest periods and summed by a window function; the stock of a quarter or year is the stock at its last
// month. Every result is materialised (CREATE TABLE ... AS).
//
// What is timed: read_csv of the export plus all computation (the results in memory). Not timed: writing
// the cross-check file.
// Usage: node duckdb_flows.mjs CSV FROM TO [CHECKS.tsv]   (env DUCKDB_THREADS: worker threads, default all)
// Prints per-step seconds, the result row counts, the cross-check lines and one line "RESULT {json}".
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';

const [csv, fromText, toText, checksFile] = process.argv.slice(2);
const from = Number(fromText), to = Number(toText);
if (!csv || !Number.isInteger(from) || !Number.isInteger(to) || to < from) {
  console.error('usage: node duckdb_flows.mjs CSV FROM TO [CHECKS.tsv]');
  process.exit(2);
}
const NM = (to - from + 1) * 12;  // months in the table periods
const NY = to - from + 1;
const first = `DATE '${from}-01-01'`, last = `DATE '${to}-12-31'`;

const options = {};
if (process.env.DUCKDB_THREADS) options.threads = String(process.env.DUCKDB_THREADS);
const inst = await DuckDBInstance.create(':memory:', options);
const con = await inst.connect();

// GROUPING SETS as the cross product of alternatives per dimension: sets([['a','b'],['a']], [['c'],[]]).
const sets = (...dims) => {
  let acc = [[]];
  for (const alts of dims) acc = acc.flatMap((s) => alts.map((a) => [...s, ...a]));
  return `GROUPING SETS (${acc.map((s) => `(${s.join(', ')})`).join(', ')})`;
};

const steps = [];
const t0 = process.hrtime.bigint();
let tStep = t0;
const step = async (name, sql) => {
  await con.run(sql);
  const t = process.hrtime.bigint();
  steps.push([name, Number(t - tStep) / 1e9]);
  tStep = t;
};

// 1. Read the CSV; per unit the dimension values (null -> 'onbekend', as das maps them) and the entry and exit
//    month ordinals: -1 before `from`, NM after `to`, exit null when open.
const exitDate = 'greatest(exit_date, entry_date)';
const ordinal = (d) => `(year(${d}) - ${from}) * 12 + month(${d}) - 1`;
await step('read_csv + units', `
  CREATE TABLE u AS
  SELECT stage,
         coalesce(province, 'onbekend') AS province, coalesce(gemeente_2024, 'onbekend') AS gm,
         coalesce(police_unit, 'onbekend') AS pu, coalesce(exit_type, 'onbekend') AS exit_type,
         coalesce(scm_level1, 'onbekend') AS l1, coalesce(scm_level2, 'onbekend') AS l2,
         coalesce(scm_level3, 'onbekend') AS l3, coalesce(minor, -1) AS minor,
         coalesce(age_group, 'onbekend') AS age_group, coalesce(sex, 'onbekend') AS sex,
         CASE WHEN entry_date < ${first} THEN -1 ELSE ${ordinal('entry_date')} END AS em,
         CASE WHEN exit_date IS NULL THEN NULL
              WHEN ${exitDate} < ${first} THEN -1
              WHEN ${exitDate} > ${last} THEN ${NM}
              ELSE ${ordinal(exitDate)} END AS xm
  FROM read_csv('${csv}', header = true,
                types = {'entry_date': 'DATE', 'exit_date': 'DATE', 'minor': 'INTEGER', 'quality': 'VARCHAR'})
  WHERE entry_date IS NOT NULL AND coalesce(quality, '') <> 'no_entry_date' AND entry_date <= ${last}`);

// Leaf flows and stock differences of a table at ordinals of `per` months (12 = year, 3 = quarter, 1 = month).
const leaf = (name, dims, per) => step(`${name}: leaf`, `
  CREATE TABLE ${name}_leaf AS
  SELECT stage, ${dims}, p, sum(d_in) AS n_in, sum(d_out) AS n_out, sum(d_st) AS d_st FROM (
    SELECT stage, ${dims}, greatest(em, 0) // ${per} AS p, (em >= 0)::INTEGER AS d_in, 0 AS d_out, 1 AS d_st
    FROM u WHERE em >= 0 OR xm IS NULL OR xm >= 0
    UNION ALL
    SELECT stage, ${dims}, xm // ${per}, 0, 1, -1 FROM u WHERE xm BETWEEN 0 AND ${NM - 1}
  ) GROUP BY ALL`);
// Dense over ordinals 0..n-1 per leaf cell, with the running stock.
const dense = (name, dims, n) => step(`${name}: dense stock`, `
  CREATE TABLE ${name}_dense AS
  WITH cells AS (SELECT DISTINCT stage, ${dims} FROM ${name}_leaf),
       grid AS (SELECT cells.*, r.range AS p FROM cells CROSS JOIN range(0, ${n}) r)
  SELECT grid.*, coalesce(l.n_in, 0) AS n_in, coalesce(l.n_out, 0) AS n_out,
         sum(coalesce(l.d_st, 0)) OVER (PARTITION BY stage, ${dims} ORDER BY p) AS stock
  FROM grid LEFT JOIN ${name}_leaf l USING (stage, ${dims}, p)`);

// Regio: months, NL > province > gemeente.
await leaf('regio', 'province, gm', 1);
await dense('regio', 'province, gm', NM);
await step('regio: grouping sets', `
  CREATE TABLE r_regio AS
  SELECT stage, y, q, m, province, gm, grouping(q) AS gq, grouping(m) AS gm_, grouping(province) AS gp,
         grouping(gm) AS gg, sum(n_in) AS n_in, sum(n_out) AS n_out,
         CASE WHEN grouping(m) = 0 THEN sum(stock)
              WHEN grouping(q) = 0 THEN sum(stock) FILTER (WHERE m % 3 = 0)
              ELSE sum(stock) FILTER (WHERE m = 12) END AS stock
  FROM (SELECT *, ${from} + p // 12 AS y, (p % 12) // 3 + 1 AS q, p % 12 + 1 AS m FROM regio_dense)
  GROUP BY ${sets([['stage']], [['y', 'q', 'm'], ['y', 'q'], ['y']], [['province', 'gm'], ['province'], []])}`);

// Politie: years, NL > police unit.
await leaf('politie', 'pu', 12);
await dense('politie', 'pu', NY);
await step('politie: grouping sets', `
  CREATE TABLE r_politie AS
  SELECT stage, ${from} + p AS y, pu, grouping(pu) AS gp, sum(n_in) AS n_in, sum(n_out) AS n_out, sum(stock) AS stock
  FROM politie_dense GROUP BY ${sets([['stage', 'p']], [['pu'], []])}`);

// Kenmerken: years, SCM levels x (minor, age group) x sex.
const kdims = 'l1, l2, l3, minor, age_group, sex';
await leaf('kenmerken', kdims, 12);
await dense('kenmerken', kdims, NY);
await step('kenmerken: grouping sets', `
  CREATE TABLE r_kenmerken AS
  SELECT stage, ${from} + p AS y, ${kdims}, grouping(l1) AS g1, grouping(l2) AS g2, grouping(l3) AS g3,
         grouping(minor) AS gmi, grouping(age_group) AS gag, grouping(sex) AS gs,
         sum(n_in) AS n_in, sum(n_out) AS n_out, sum(stock) AS stock
  FROM kenmerken_dense
  GROUP BY ${sets([['stage', 'p']], [['l1', 'l2', 'l3'], ['l1', 'l2'], ['l1'], []],
                  [['minor', 'age_group'], ['minor'], []], [['sex'], []])}`);

// Uitstroom: outflow by quarter > year, exit type, NL > province.
await step('uitstroom: grouping sets', `
  CREATE TABLE r_uitstroom AS
  SELECT stage, ${from} + xm // 12 AS y, (xm % 12) // 3 + 1 AS q, exit_type, province,
         grouping((xm % 12) // 3 + 1) AS gq, grouping(exit_type) AS ge, grouping(province) AS gp, count(*) AS n_out
  FROM u WHERE xm BETWEEN 0 AND ${NM - 1}
  GROUP BY ${sets([['stage', `${from} + xm // 12`]], [['(xm % 12) // 3 + 1'], []], [['exit_type'], []],
                  [['province'], []])}`);

const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
for (const [name, s] of steps) console.log(`${name.padEnd(26)} ${s.toFixed(3)} s`);

const scalar = async (sql) => Number((await con.runAndReadAll(sql)).getRows()[0][0]);
const rows = {};
for (const t of ['u', 'r_regio', 'r_politie', 'r_kenmerken', 'r_uitstroom']) rows[t] = await scalar(`SELECT count(*) FROM ${t}`);
console.log(`result rows: ${Object.entries(rows).map(([k, v]) => `${k} ${v}`).join(', ')}`);

const om = await con.runAndReadAll(`SELECT y, n_in, n_out, stock FROM r_regio
  WHERE stage = 'om' AND gp = 1 AND gq = 1 ORDER BY y`);
for (const [y, i, o, s] of om.getRows()) {
  console.log(`check DAS_OM_Regio ${y}JJ00 NL01: inflow ${i} outflow ${o} stock ${s}`);
}

// Cross-check file in stats_bench's key format (bench/stats/compare.py): non-zero values only.
if (checksFile) {
  const period = `CASE WHEN gm_ = 0 THEN y || 'MM' || lpad(m::VARCHAR, 2, '0')
                       WHEN gq = 0 THEN y || 'KW' || lpad(q::VARCHAR, 2, '0') ELSE y || 'JJ00' END`;
  const prov = `CASE WHEN province = 'onbekend' THEN 'PV99' ELSE province END`;
  const sexCode = `CASE sex WHEN 'man' THEN '3000' WHEN 'vrouw' THEN '4000' ELSE 'onbekend' END`;
  const queries = [
    `SELECT 'Regio', stage, ${period},
            CASE WHEN gp = 1 THEN 'T' WHEN gg = 1 THEN ${prov} WHEN gm = 'onbekend' THEN 'GM9999' ELSE gm END,
            n_in, n_out, stock FROM r_regio`,
    `SELECT 'Politie', stage, y || 'JJ00', CASE WHEN gp = 1 THEN 'T' WHEN pu = 'onbekend' THEN 'RE99' ELSE pu END,
            n_in, n_out, stock FROM r_politie`,
    // Level-2 rows equal to their level-1 code (and level 3 to level 2) are the same cell: left out.
    `SELECT 'Kenmerken', stage, y || 'JJ00',
            CASE WHEN g1 = 1 THEN 'T' WHEN g2 = 1 THEN l1 WHEN g3 = 1 THEN l2 ELSE l3 END || '|' ||
            CASE WHEN gmi = 1 THEN 'T' WHEN gag = 1 THEN (CASE minor WHEN 1 THEN 'minderjarig'
                 WHEN 0 THEN 'meerderjarig' ELSE 'onbekend' END) ELSE age_group END || '|' ||
            CASE WHEN gs = 1 THEN 'T' ELSE ${sexCode} END,
            n_in, n_out, stock FROM r_kenmerken
     WHERE NOT (g2 = 0 AND g3 = 1 AND l2 = l1) AND NOT (g3 = 0 AND l3 = l2)
       AND NOT (gag = 0 AND minor = -1 AND age_group = 'onbekend')`,
    `SELECT 'Uitstroom', stage, CASE WHEN gq = 0 THEN y || 'KW' || lpad(q::VARCHAR, 2, '0') ELSE y || 'JJ00' END,
            CASE WHEN ge = 1 THEN 'T' ELSE exit_type END || '|' || CASE WHEN gp = 1 THEN 'T' ELSE ${prov} END,
            NULL, n_out, NULL FROM r_uitstroom`,
  ];
  // Unpivoted to one line per non-zero value and written by DuckDB itself (no rows through JavaScript).
  const body = queries.map((q) => `SELECT * FROM (${q}) t(kind, stage, period, coords, n_in, n_out, stock)`).join(' UNION ALL ');
  await con.run(`COPY (SELECT kind, stage, period, coords, measure, value FROM (
      SELECT kind, stage, period, coords, 'in' AS measure, n_in AS value FROM (${body}) UNION ALL
      SELECT kind, stage, period, coords, 'out', n_out FROM (${body}) UNION ALL
      SELECT kind, stage, period, coords, 'stock', stock FROM (${body})) WHERE value IS NOT NULL AND value <> 0)
    TO '${checksFile}' (FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '')`);
  const written = await scalar(`SELECT count(*) FROM read_csv('${checksFile}', delim = '\t', header = false, quote = '')`);
  console.log(`checks: ${written} non-zero values written to ${checksFile}`);
}
const resultRows = rows.r_regio + rows.r_politie + rows.r_kenmerken + rows.r_uitstroom;
console.log(`RESULT ${JSON.stringify({ seconds, units: rows.u, result_rows: resultRows, steps: Object.fromEntries(steps) })}`);
