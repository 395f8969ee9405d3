// A small stand-in for `das serve`, for developing the dashboard before the real server exists.
//
// Serves web/dist at / (index.html fallback) and a deterministic fixture release in the CBS OData v3 JSON
// layout the real server uses: /ODataApi/odata/<Table>/{DataProperties,<Dim>,TypedDataSet,UntypedDataSet},
// /download/<Table>.csv, /api/releases, /api/concepts (from config/concepts/*.toml). $filter supports the
// subset the dashboard sends (eq ne and or not, parentheses, substringof, startswith, endswith).
// NOT a reference implementation: the e2e tests' real target is `das serve` (DAS_URL).
//
// Usage: node tests/e2e/mock-server.mjs [--port 8090] [--web web/dist]
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

// ---------- deterministic fixture data ----------
function rng(seed) {  // mulberry32
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// One CSV line (RFC 4180 quoting) into fields.
function splitCsv(line) {
  const out = [];
  let cur = '', q = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (q) { if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') q = false; else cur += c; }
    else if (c === '"') q = true;
    else if (c === ',') { out.push(cur); cur = ''; }
    else cur += c;
  }
  out.push(cur);
  return out;
}
function readCsv(file) {
  const [head, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const cols = splitCsv(head);
  return rows.map((r) => Object.fromEntries(splitCsv(r).map((v, i) => [cols[i], v])));
}
const geoDir = path.join(repo, 'config', 'geo');
const gemeenten = readCsv(path.join(geoDir, 'gemeenten.csv')).filter((g) => g.valid_to === '9999');
const provincies = readCsv(path.join(geoDir, 'provincies.csv'));

const years = [2019, 2020, 2021, 2022, 2023];
const perioden = years.map((y) => ({ code: `${y}JJ00`, title: String(y), status: y === 2023 ? 'Voorlopig' : 'Definitief' }));
const regios = [{ code: 'NL01', title: 'Nederland' }]
  .concat(provincies.map((p) => ({ code: p.code, title: p.name })))
  .concat(gemeenten.map((g) => ({ code: g.code, title: g.name })));
const popOf = new Map(gemeenten.map((g) => [g.code, Number(g.population)]));
for (const p of provincies) popOf.set(p.code, gemeenten.filter((g) => g.province === p.code).reduce((s, g) => s + Number(g.population), 0));
popOf.set('NL01', gemeenten.reduce((s, g) => s + Number(g.population), 0));

// Every table: { id, title, dims: [{id, type, codes:[{code,title,status?}]}], topics: [{key,title,unit,decimals,description}], rows }
const tables = new Map();
function addTable(t) { tables.set(t.id, t); }

function regionalSeries(r, base, perCapita, suppressBelow) {
  // count per gemeente ~ population * base/1000 with noise; provinces and NL are sums; null when < suppressBelow
  const out = new Map();
  for (const y of years) {
    let nl = 0;
    const pv = new Map();
    for (const g of gemeenten) {
      const v = Math.round(Number(g.population) * base / 1000 * (0.6 + 0.8 * r()) * (1 + (y - 2019) * 0.02));
      out.set(`${y}|${g.code}`, v);
      pv.set(g.province, (pv.get(g.province) || 0) + v);
      nl += v;
    }
    for (const [k, v] of pv) out.set(`${y}|${k}`, v);
    out.set(`${y}|NL01`, nl);
  }
  const result = new Map();
  for (const [k, v] of out) {
    const reg = k.split('|')[1];
    if (v < suppressBelow) { result.set(k, null); continue; }
    result.set(k, perCapita ? Math.round(v / popOf.get(reg) * 1000 * 10) / 10 : v);
  }
  return result;
}
function percentSeries(r, base) {
  const out = new Map();
  for (const y of years) for (const reg of regios) {
    const small = (popOf.get(reg.code) || 0) < 6000;
    out.set(`${y}|${reg.code}`, small ? null : Math.round((base + (r() - 0.5) * 10 + (y - 2019) * 0.4) * 10) / 10);
  }
  return out;
}

const themes = {
  Preventie: [['HaltVerwijzingen_1', 'Halt-verwijzingen', 'aantal', 0, 1.0], ['PositiefAfgerondHalt_2', 'Halt positief afgerond', '%', 1, 82],
    ['MinderjarigeVerdachten_3', 'Minderjarige verdachten per 10 000 minderjarigen', 'per 10 000 minderjarigen', 1, 0.9], ['FirstOffenders_4', 'Eerste verdachten', 'aantal', 0, 0.8], ['JeugdRecidive_5', 'Jeugdrecidive na 2 jaar', '%', 1, 30]],
  Slachtofferschap: [['Slachtofferschap_1', 'Slachtoffers 15+ (percentage)', '%', 1, 16], ['Aangiftebereidheid_2', 'Aangiftebereidheid', '%', 1, 33],
    ['AangiftenSlachtoffers_3', 'Aangiften door slachtoffers', 'aantal', 0, 20], ['GeweldPer1000_4', 'Geweldsmisdrijven per 1 000 inwoners', 'per 1 000 inwoners', 1, 4], ['OnlineFraude_5', 'Slachtoffers online fraude', '%', 1, 8]],
  Opsporing: [['GeregistreerdeMisdrijven_1', 'Geregistreerde misdrijven', 'aantal', 0, 45], ['Ophelderingspercentage_2', 'Ophelderingspercentage', '%', 1, 25],
    ['MisdrijvenPer1000_3', 'Misdrijven per 1 000 inwoners', 'per 1 000 inwoners', 1, 45], ['VerdachtenPer10000_4', 'Verdachten per 10 000 inwoners', 'per 10 000 inwoners', 1, 8], ['VerdachtenNaarOM_5', 'Verdachten naar OM', '%', 1, 60]],
  Vervolging: [['InstroomOM_1', 'Instroom OM', 'aantal', 0, 12], ['Dagvaardingspercentage_2', 'Dagvaardingen', '%', 1, 40], ['Sepotpercentage_3', 'Sepots', '%', 1, 20],
    ['Strafbeschikkingspercentage_4', 'Strafbeschikkingen', '%', 1, 30], ['WerkvoorraadOM_5', 'Werkvoorraad OM', 'aantal', 0, 4]],
  Berechting: [['Uitspraken_1', 'Uitspraken rechtbank', 'aantal', 0, 5], ['Veroordelingspercentage_2', 'Veroordelingen', '%', 1, 88], ['Politierechter_3', 'Aandeel politierechter', '%', 1, 55],
    ['Vrijheidsstraf_4', 'Vrijheidsstraffen', '%', 1, 30], ['Taakstraf_5', 'Taakstraffen', '%', 1, 35]],
  Tenuitvoerlegging: [['BoetesGeind_1', 'Geïnde boetes', 'euro', 0, 900], ['Inningspercentage_2', 'Inningspercentage', '%', 1, 88], ['InstroomGevangenis_3', 'Instroom gevangeniswezen', 'aantal', 0, 2],
    ['TaakstrafVoltooid_4', 'Taakstraffen voltooid', '%', 1, 90], ['BezettingDJI_5', 'Bezetting DJI', 'aantal', 0, 0.7]],
};
let seed = 7;
for (const [thema, figs] of Object.entries(themes)) {
  const r = rng(seed++);
  const series = figs.map(([key, , unit, , base]) => unit === '%' ? percentSeries(r, base)
    : unit.startsWith('per ') ? regionalSeries(r, base, true, 10) : regionalSeries(r, base, false, 10));
  const rows = [];
  for (const p of perioden) for (const reg of regios) {
    const row = { Perioden: p.code, RegioS: reg.code };
    figs.forEach(([key], i) => { row[key] = series[i].get(`${p.code.slice(0, 4)}|${reg.code}`); });
    rows.push(row);
  }
  addTable({ id: `DAS_Kerncijfers_${thema}`, title: `Kerncijfers ${thema.toLowerCase()}`,
    dims: [{ id: 'Perioden', type: 'TimeDimension', codes: perioden }, { id: 'RegioS', type: 'GeoDimension', codes: regios }],
    topics: figs.map(([key, title, unit, decimals]) => ({ key, title, unit, decimals, description: `${title}: definitie volgens config/stats/kerncijfers.toml.` })),
    rows });
}

const stages = [['Misdrijven', 60], ['Verdachten', 15], ['Halt', 1], ['OM', 12], ['RvdK', 1.5], ['Rechtspraak', 5], ['CJIB', 4], ['DJI', 2], ['Reclassering', 2.5]];
const exits = {
  Misdrijven: [['OPH', 'Opgehelderd (verdachte bekend)', 0.25], ['NOPH', 'Niet opgehelderd', 0.72]],
  Verdachten: [['PVOM', 'Proces-verbaal naar OM', 0.7], ['HALT', 'Verwijzing naar Halt', 0.06], ['PSB', 'Politiestrafbeschikking', 0.1], ['GEEN', 'Geen afdoening', 0.1]],
  Halt: [['POS', 'Positief afgerond', 0.85], ['NEG', 'Negatief afgerond', 0.12]],
  OM: [['DAG', 'Dagvaarding', 0.4], ['SB', 'Strafbeschikking', 0.3], ['TSEP', 'Technisch sepot', 0.08], ['BSEP', 'Beleidssepot', 0.12], ['VOE', 'Voeging en overdracht', 0.06]],
  RvdK: [['ADV', 'Advies', 0.9]],
  Rechtspraak: [['VRIJH', 'Schuldig, vrijheidsstraf', 0.3], ['TAAK', 'Schuldig, taakstraf', 0.3], ['BOETE', 'Schuldig, geldboete', 0.2], ['VRIJS', 'Vrijspraak', 0.1], ['OVR', 'Overige uitspraak', 0.06]],
  CJIB: [['BET', 'Betaald', 0.85], ['VH', 'Vervangende hechtenis', 0.05]],
  DJI: [['ONTSL', 'Ontslag uit inrichting', 0.97]],
  Reclassering: [['VOLT', 'Voltooid', 0.88], ['NVOLT', 'Niet voltooid', 0.1]],
};
for (const [stem, base] of stages) {
  const r = rng(seed++);
  const inflow = regionalSeries(r, base, false, 5);
  const rows = [];
  for (const p of perioden) for (const reg of regios) {
    const i = inflow.get(`${p.code.slice(0, 4)}|${reg.code}`);
    rows.push({ Perioden: p.code, RegioS: reg.code, Instroom_1: i, Uitstroom_2: i === null ? null : Math.round(i * 0.97), Voorraad_3: i === null ? null : Math.round(i * 0.35) });
  }
  const topics3 = [['Instroom_1', 'Instroom'], ['Uitstroom_2', 'Uitstroom'], ['Voorraad_3', 'Voorraad (einde periode)']]
    .map(([key, title]) => ({ key, title, unit: 'aantal', decimals: 0, description: `${title} ${stem}` }));
  addTable({ id: `DAS_${stem}_Regio`, title: `${stem}: in-, uitstroom en voorraad naar regio`,
    dims: [{ id: 'Perioden', type: 'TimeDimension', codes: perioden }, { id: 'RegioS', type: 'GeoDimension', codes: regios }], topics: topics3, rows });
  const bestemming = [{ code: 'T001', title: 'Totaal' }].concat(exits[stem].map(([code, title]) => ({ code, title })));
  const urows = [];
  for (const p of perioden) for (const b of bestemming) for (const reg of regios.slice(0, 13)) {
    const i = inflow.get(`${p.code.slice(0, 4)}|${reg.code}`);
    const share = b.code === 'T001' ? 0.97 : exits[stem].find((e) => e[0] === b.code)[2];
    const v = i === null ? null : Math.round(i * share);
    urows.push({ Perioden: p.code, Bestemming: b.code, RegioS: reg.code, Uitstroom_1: v !== null && v < 5 ? null : v });
  }
  addTable({ id: `DAS_${stem}_Uitstroom`, title: `${stem}: uitstroom naar bestemming`,
    dims: [{ id: 'Perioden', type: 'TimeDimension', codes: perioden }, { id: 'Bestemming', type: 'Dimension', codes: bestemming },
      { id: 'RegioS', type: 'GeoDimension', codes: regios.slice(0, 13) }],
    topics: [{ key: 'Uitstroom_1', title: 'Uitstroom', unit: 'aantal', decimals: 0, description: 'Uitstroom naar bestemming' }], rows: urows });
  const delict = [{ code: 'T001161', title: 'Totaal misdrijven' }, { code: 'CRI1000', title: 'Vermogensmisdrijven' }, { code: 'CRI2000', title: 'Vernielingen en openbare orde' }, { code: 'CRI3000', title: 'Gewelds- en seksuele misdrijven' }, { code: 'CRI4000', title: 'Verkeersmisdrijven' }];
  const leeftijd = [{ code: '10000', title: 'Totaal' }, { code: '70100', title: 'Minderjarig' }, { code: '70200', title: 'Meerderjarig' }];
  const geslacht = [{ code: 'T001038', title: 'Totaal mannen en vrouwen' }, { code: '3000', title: 'Mannen' }, { code: '4000', title: 'Vrouwen' }, { code: '9999', title: 'Onbekend' }];
  const krows = [];
  for (const p of perioden) for (const d of delict) for (const l of leeftijd) for (const g of geslacht) {
    const v = Math.round(base * 1000 * (d.code === 'T001161' ? 1 : 0.25) * (l.code === '10000' ? 1 : l.code === '70100' ? 0.1 : 0.9) * (g.code === 'T001038' ? 1 : g.code === '3000' ? 0.8 : g.code === '4000' ? 0.19 : 0.01) * (0.9 + 0.2 * r()));
    krows.push({ Perioden: p.code, Delict: d.code, Leeftijd: l.code, Geslacht: g.code, Instroom_1: v < 10 ? null : v, Uitstroom_2: v < 10 ? null : Math.round(v * 0.97), Voorraad_3: v < 10 ? null : Math.round(v * 0.35) });
  }
  addTable({ id: `DAS_${stem}_Kenmerken`, title: `${stem} naar delict, leeftijd en geslacht`,
    dims: [{ id: 'Perioden', type: 'TimeDimension', codes: perioden }, { id: 'Delict', type: 'Dimension', codes: delict }, { id: 'Leeftijd', type: 'Dimension', codes: leeftijd }, { id: 'Geslacht', type: 'Dimension', codes: geslacht }],
    topics: topics3, rows: krows });
}
{
  const r = rng(seed++);
  const traject = [['POLOM', 'Politie tot instroom OM', 60], ['OMBESL', 'Instroom OM tot beslissing', 90], ['PR', 'Dagvaarding tot uitspraak politierechter', 35], ['MK', 'Dagvaarding tot uitspraak meervoudige kamer', 180], ['TUL', 'Onherroepelijk tot tenuitvoerlegging', 120]];
  const methode = [{ code: 'terugkijk', title: 'Terugkijkmethode' }, { code: 'cohort', title: 'Cohortmethode' }];
  const rows = [];
  for (const p of perioden) for (const [code, , norm] of traject) for (const m of methode) {
    const med = Math.round(norm * (0.6 + 0.5 * r()));
    rows.push({ Perioden: p.code, Traject: code, Methode: m.code, Aantal_1: Math.round(1000 + 5000 * r()), Mediaan_2: med, P80_3: Math.round(med * 1.5), P90_4: Math.round(med * 2),
      BinnenNorm_5: Math.round((70 + 25 * r()) * 10) / 10, Norm_6: norm });
  }
  rows[3].P90_4 = null;  // one suppressed cell
  addTable({ id: 'DAS_Doorlooptijden', title: 'Doorlooptijden per traject',
    dims: [{ id: 'Perioden', type: 'TimeDimension', codes: perioden }, { id: 'Traject', type: 'Dimension', codes: traject.map(([code, title]) => ({ code, title })) }, { id: 'Methode', type: 'Dimension', codes: methode }],
    topics: [['Aantal_1', 'Aantal zaken', 'aantal', 0], ['Mediaan_2', 'Mediaan', 'dagen', 0], ['P80_3', '80e percentiel', 'dagen', 0], ['P90_4', '90e percentiel', 'dagen', 0], ['BinnenNorm_5', 'Binnen norm', '%', 1], ['Norm_6', 'Norm', 'dagen', 0]]
      .map(([key, title, unit, decimals]) => ({ key, title, unit, decimals, description: title })), rows });
}

// Dimension keys are space-padded to the dimension's longest key, as CBS does.
for (const t of tables.values()) for (const d of t.dims) d.width = Math.max(...d.codes.map((c) => c.code.length));
const pad = (s, w) => s + ' '.repeat(Math.max(0, w - s.length));

function concepts() {
  const dir = path.join(repo, 'config', 'concepts');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.toml')).sort().map((f) => {
    const text = fs.readFileSync(path.join(dir, f), 'utf8').split('[[')[0];
    const c = {};
    for (const m of text.matchAll(/^(\w+) = (".*"|\d+|\[.*\])$/gm)) c[m[1]] = JSON.parse(m[2]);
    return c;
  });
}
const release = { release_id: '2024-12-31.mock000001', sequence: 1, horizon: '2024-12-31', content_sha256: '0'.repeat(64), num_tables: tables.size, num_cells: 0 };

// ---------- a small $filter evaluator ----------
function parseFilter(src) {
  const toks = [];
  const re = /\s*(?:('(?:[^']|'')*')|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|([(),]))/y;
  let m;
  while (re.lastIndex < src.length) {
    const at = re.lastIndex;
    if (!(m = re.exec(src))) { if (/^\s*$/.test(src.slice(at))) break; throw new Error(`$filter: unexpected character at position ${at + 1}`); }
    if (m[1] !== undefined) toks.push({ s: m[1].slice(1, -1).replace(/''/g, "'") });
    else if (m[2] !== undefined) toks.push({ n: Number(m[2]) });
    else if (m[3] !== undefined) toks.push({ id: m[3] });
    else toks.push({ p: m[4] });
  }
  let i = 0;
  const peekId = (w) => toks[i] && toks[i].id === w;
  const expect = (p) => { if (!toks[i] || toks[i].p !== p) throw new Error(`$filter: expected '${p}'`); i++; };
  const value = () => { const t = toks[i++]; if (!t) throw new Error('$filter: unexpected end'); if ('s' in t) return () => t.s; if ('n' in t) return () => t.n; if ('id' in t) return (row) => row[t.id]; throw new Error('$filter: unexpected token'); };
  const ops = { eq: (a, b) => a === b, ne: (a, b) => a !== b, gt: (a, b) => a > b, ge: (a, b) => a >= b, lt: (a, b) => a < b, le: (a, b) => a <= b };
  const primary = () => {
    if (peekId('not')) { i++; const f = primary(); return (r) => !f(r); }
    if (toks[i] && toks[i].p === '(') { i++; const f = orExpr(); expect(')'); return f; }
    for (const fn of ['substringof', 'startswith', 'endswith']) if (peekId(fn) && toks[i + 1] && toks[i + 1].p === '(') {
      i += 2; const a = value(); expect(','); const b = value(); expect(')');
      if (fn === 'substringof') return (r) => String(b(r)).includes(String(a(r)));
      if (fn === 'startswith') return (r) => String(a(r)).startsWith(String(b(r)));
      return (r) => String(a(r)).endsWith(String(b(r)));
    }
    const a = value();
    const op = toks[i] && toks[i].id;
    if (!ops[op]) throw new Error('$filter: expected a comparison operator');
    i++;
    const b = value();
    return (r) => ops[op](a(r), b(r));
  };
  const andExpr = () => { let f = primary(); while (peekId('and')) { i++; const l = f, r = primary(); f = (x) => l(x) && r(x); } return f; };
  const orExpr = () => { let f = andExpr(); while (peekId('or')) { i++; const l = f, r = andExpr(); f = (x) => l(x) || r(x); } return f; };
  const f = orExpr();
  if (i !== toks.length) throw new Error('$filter: unexpected trailing input');
  return f;
}

// ---------- HTTP ----------
function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Access-Control-Allow-Origin': '*' });
  res.end(JSON.stringify(body));
}
function odataError(res, status, msg) { json(res, status, { 'odata.error': { code: '', message: { lang: 'en-US', value: msg } } }); }

function typedRows(t, untyped) {
  return t.rows.map((row, id) => {
    const o = { ID: id };
    for (const d of t.dims) o[d.id] = pad(row[d.id], d.width);
    for (const tp of t.topics) {
      const v = row[tp.key];
      o[tp.key] = untyped ? (v === null || v === undefined ? 'x' : v.toFixed(tp.decimals).padStart(12)) : v;
    }
    return o;
  });
}

function handleTable(res, t, set, q, base) {
  const meta = `${base}/$metadata#${t.id}/${set}`;
  if (set === 'DataProperties') {
    let pos = 0;
    const value = t.dims.map((d) => ({ ID: pos, Position: pos++, ParentID: null, Type: d.type, Key: d.id, Title: d.id, Description: '' }))
      .concat(t.topics.map((tp) => ({ ID: pos, Position: pos++, ParentID: null, Type: 'Topic', Key: tp.key, Title: tp.title, Description: tp.description, Unit: tp.unit, Decimals: tp.decimals })));
    return json(res, 200, { 'odata.metadata': meta, value });
  }
  // Flat hierarchies (total > details) as CBS and das serve give them: the total heads a group (no parent);
  // the other codes' CategoryGroupID is that group.
  const grouped = t.dims.filter((d) => d.type === 'Dimension');
  if (set === 'CategoryGroups') {
    return json(res, 200, { 'odata.metadata': meta, value: grouped.map((d, i) => ({ ID: i + 1, DimensionKey: d.id, Title: d.codes[0].title, Description: null, ParentID: null })) });
  }
  const dim = t.dims.find((d) => d.id === set);
  if (dim) {
    const gi = grouped.indexOf(dim) + 1;
    const value = dim.codes.map((c, k) => Object.assign({ Key: pad(c.code, dim.width), Title: c.title, Description: '' },
      dim.id === 'Perioden' ? { Status: c.status } : { CategoryGroupID: gi > 0 && k > 0 ? gi : null }));
    return json(res, 200, { 'odata.metadata': meta, value });
  }
  if (set !== 'TypedDataSet' && set !== 'UntypedDataSet') return odataError(res, 404, `Entity set '${set}' not found in table '${t.id}'.`);
  let rows = typedRows(t, set === 'UntypedDataSet');
  if (q.has('$filter')) {
    let f;
    try { f = parseFilter(q.get('$filter')); } catch (e) { return odataError(res, 400, e.message); }
    rows = rows.filter(f);
  }
  const skip = Number(q.get('$skip') || 0), top = q.has('$top') ? Number(q.get('$top')) : Infinity;
  rows = rows.slice(skip, skip + top);
  if (q.has('$select')) {
    const cols = q.get('$select').split(',').map((s) => s.trim());
    rows = rows.map((r) => Object.fromEntries(cols.map((c) => [c, r[c]])));
  }
  return json(res, 200, { 'odata.metadata': meta, value: rows });
}

const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.topojson': 'application/json', '.svg': 'image/svg+xml', '.csv': 'text/csv; charset=utf-8', '.ico': 'image/x-icon' };

export function startMock({ port = 0, web = path.join(repo, 'web', 'dist') } = {}) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/api/releases') return json(res, 200, [release]);
    if (url.pathname === '/api/concepts') return json(res, 200, concepts());
    if (parts[0] === 'ODataApi' && parts[1] === 'odata' && parts[2]) {
      const t = tables.get(parts[2]);
      if (!t) return odataError(res, 404, `Table '${parts[2]}' not found.`);
      return handleTable(res, t, parts[3] || '', url.searchParams, `${url.origin}/ODataApi/odata/${t.id}`);
    }
    if (parts[0] === 'download' && parts[1]) {
      const t = tables.get(parts[1].replace(/\.csv$/, ''));
      if (!t) return odataError(res, 404, 'Table not found.');
      const head = t.dims.map((d) => d.id).concat(t.topics.map((tp) => tp.key)).join(',');
      const body = t.rows.map((r) => t.dims.map((d) => r[d.id]).concat(t.topics.map((tp) => (r[tp.key] === null ? 'x' : r[tp.key]))).join(','));
      res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' });
      return res.end([head].concat(body).join('\n') + '\n');
    }
    // static files with index.html fallback, never outside the web root
    let file = path.normalize(path.join(web, decodeURIComponent(url.pathname)));
    if (!file.startsWith(web) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) file = path.join(web, 'index.html');
    if (!fs.existsSync(file)) { res.writeHead(404); return res.end('web/dist not built'); }
    res.writeHead(200, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const arg = (name, def) => { const k = args.indexOf(name); return k >= 0 ? args[k + 1] : def; };
  const server = await startMock({ port: Number(arg('--port', 8090)), web: path.resolve(arg('--web', path.join(repo, 'web', 'dist'))) });
  console.log(`mock das serve on http://127.0.0.1:${server.address().port}/`);
}
