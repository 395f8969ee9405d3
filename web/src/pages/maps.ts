// Maps: gemeente and province choropleths (2024 boundaries, shipped with the build) of the per-1,000 /
// per-10,000 key figures of DAS_Kerncijfers_*, and of registered crimes per 1,000 inhabitants computed from
// DAS_Misdrijven_Regio inflow and the 2024 population; plus a comparison of one gemeente with the ten
// gemeenten closest to it in population.
import { dataProperties, typed, key, lit, type DataProperty } from '../api';
import { esc } from '../format';
import { renderFigure, pointsText, type FigureTable } from '../figure';
import { t, THEMES, themeName } from '../i18n';
import type { State } from '../router';
import { codeList, years, yearLabel, padded, select, wire, notAvailable } from './common';
import { toGeoJson } from '../topojson';

interface Indicator { id: string; table: string; topic: DataProperty | null; label: string; decimals: number; derived: boolean }

const geoCache = new Map<string, Promise<unknown>>();
function getJson(url: string): Promise<unknown> {
  if (!geoCache.has(url)) geoCache.set(url, fetch(url).then((r) => { if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`); return r.json(); }));
  return geoCache.get(url)!;
}

async function indicators(): Promise<Indicator[]> {
  const out: Indicator[] = [];
  const props = await Promise.all(THEMES.map((th) => dataProperties(`DAS_Kerncijfers_${th.stem}`).catch(() => [] as DataProperty[])));
  THEMES.forEach((th, i) => {
    for (const p of props[i]) {
      if (p.Type !== 'Topic' || !/per\s*(1[\s.,]?000|10[\s.,]?000|100[\s.,]?000)/i.test(p.Unit ?? '')) continue;
      out.push({ id: `${th.stem}:${p.Key}`, table: `DAS_Kerncijfers_${th.stem}`, topic: p, label: `${p.Title} (${themeName(th)})`, decimals: p.Decimals ?? 1, derived: false });
    }
  });
  const mis = await dataProperties('DAS_Misdrijven_Regio').catch(() => [] as DataProperty[]);
  if (mis.some((p) => p.Key === 'Instroom_1')) out.unshift({ id: 'misdrijven', table: 'DAS_Misdrijven_Regio', topic: mis.find((p) => p.Key === 'Instroom_1')!, label: t('derived_rate'), decimals: 1, derived: true });
  return out;
}

export async function renderMaps(main: HTMLElement, state: State, release: string): Promise<void> {
  main.innerHTML = `<h1 class="utrecht-heading-1" tabindex="-1">${esc(t('maps_title'))}</h1>
    <p class="utrecht-paragraph utrecht-paragraph--lead">${esc(t('maps_intro'))}</p>`;
  const charts = import('../charts');
  const inds = await indicators();
  if (!inds.length) { notAvailable(main, 'DAS_Kerncijfers_* / DAS_Misdrijven_Regio'); return; }
  const ind = inds.find((x) => x.id === state.q.get('indicator')) ?? inds[0];
  const level = state.q.get('niveau') === 'provincie' ? 'provincie' : 'gemeente';
  const perioden = await codeList(ind.table, 'Perioden');
  const ys = years(perioden);
  const yearCode = ys.some((y) => key(y.Key) === state.q.get('jaar')) ? state.q.get('jaar')! : key(ys[ys.length - 1]?.Key);
  const gemeenten = (await getJson('geo/gemeenten_2024.json')) as Record<string, [string, string, number]>;
  const gmCodes = Object.keys(gemeenten).sort((a, b) => gemeenten[a][0].localeCompare(gemeenten[b][0], 'nl'));
  const compare = gemeenten[state.q.get('gemeente') ?? ''] ? state.q.get('gemeente')! : (gemeenten.GM0363 ? 'GM0363' : gmCodes[0]);
  const form = document.createElement('form');
  form.className = 'das-controls';
  form.setAttribute('aria-label', t('drill'));
  form.addEventListener('submit', (e) => e.preventDefault());
  form.innerHTML = select('f-indicator', t('indicator'), 'indicator', inds.map((x) => ({ value: x.id, label: x.label })), ind.id) +
    select('f-niveau', t('level'), 'niveau', [{ value: 'gemeente', label: t('gemeente') }, { value: 'provincie', label: t('provincie') }], level) +
    select('f-jaar', t('year'), 'jaar', ys.map((y) => ({ value: key(y.Key), label: yearLabel(y) })).reverse(), yearCode) +
    select('f-gemeente', t('compare_with'), 'gemeente', gmCodes.map((c) => ({ value: c, label: gemeenten[c][0] })), compare);
  main.appendChild(form);
  wire(form);

  // population per province (sum of its 2024 gemeenten), for the derived rate
  const pop = new Map<string, number>();
  for (const [c, [, pv, n]] of Object.entries(gemeenten)) { pop.set(c, n); pop.set(pv, (pop.get(pv) ?? 0) + n); }
  const topicKey = ind.topic!.Key;
  const fetchLevel = async (prefix: string) => {
    const res = await typed(ind.table, `Perioden eq ${lit(padded(perioden, yearCode))} and startswith(RegioS,${lit(prefix)})`, ['RegioS', topicKey]);
    const m = new Map<string, { count: number | null; value: number | null; sym?: string }>();
    res.rows.forEach((r, i) => {
      const c = key(r.RegioS);
      const v = (r[topicKey] ?? null) as number | null;
      const p = pop.get(c);
      m.set(c, { count: v, sym: res.symbols.get(`${i}|${topicKey}`), value: !ind.derived ? v : v === null || !p ? null : Math.round((v / p) * 1000 * 10) / 10 });
    });
    return { url: res.url, m };
  };
  const [gm, pv] = await Promise.all([fetchLevel('GM'), fetchLevel('PV')]);
  const cur = level === 'gemeente' ? gm : pv;
  const topoUrl = level === 'gemeente' ? 'geo/gemeente_2024.topojson' : 'geo/provincie_2024.topojson';
  const geo = toGeoJson((await getJson(topoUrl)) as Parameters<typeof toGeoJson>[0]);
  const names = new Map<string, string>(geo.features.map((f) => [String(f.properties.statcode), String(f.properties.statnaam)]));
  const codesShown = [...names.keys()].sort((a, b) => names.get(a)!.localeCompare(names.get(b)!, 'nl'));
  const dec = ind.decimals;
  const mapTitle = t('map_title', { indicator: ind.label, year: yearCode.slice(0, 4), level: t(level) });
  const tableOf = (codes: string[], m: Map<string, { count: number | null; value: number | null; sym?: string }>): FigureTable => ind.derived
    ? { columns: [t('region'), ind.topic!.Title, t('population'), ind.label], decimals: [0, 0, 0, dec],
      rows: codes.map((c) => ({ cells: [names.get(c) ?? gemeenten[c]?.[0] ?? c, m.get(c)?.count ?? null, pop.get(c) ?? null, m.get(c)?.value ?? null],
        symbols: [undefined, m.get(c)?.sym ?? (m.has(c) ? 'x' : '.'), undefined, m.get(c)?.sym ?? (m.has(c) ? 'x' : '.')],
        refs: [undefined, m.has(c) ? { table: ind.table, topic: topicKey, coords: { Perioden: yearCode, RegioS: c } } : undefined, undefined, undefined] })) }
    : { columns: [t('region'), ind.label], decimals: [0, dec],
      rows: codes.map((c) => ({ cells: [names.get(c) ?? gemeenten[c]?.[0] ?? c, m.get(c)?.value ?? null], symbols: [undefined, m.get(c)?.sym ?? (m.has(c) ? 'x' : '.')],
        refs: [undefined, m.has(c) ? { table: ind.table, topic: topicKey, coords: { Perioden: yearCode, RegioS: c } } : undefined] })) };
  const shown = codesShown.map((c) => cur.m.get(c)?.value ?? null);
  renderFigure(main, {
    id: 'kaart', title: mapTitle, note: t('maps_intro').split('. ').slice(1).join('. '),
    summary: `${mapTitle}. ` + pointsText(codesShown.map((c) => names.get(c)!), shown, dec).slice(0, 1500),
    table: tableOf(codesShown, cur.m), apiUrls: [cur.url], tables: [ind.table], release, chartHeight: 560,
    draw: async (el) => (await charts).choropleth(el, mapTitle, `das-${level}`, geo, codesShown.map((c, i) => ({ name: c, value: shown[i] })), names, dec, ind.label),
  });

  // Similar gemeenten: the ten closest in 2024 population (log scale).
  const n0 = gemeenten[compare][2];
  const similar = gmCodes.filter((c) => c !== compare)
    .sort((a, b) => Math.abs(Math.log(gemeenten[a][2] / n0)) - Math.abs(Math.log(gemeenten[b][2] / n0)) || a.localeCompare(b)).slice(0, 10);
  const group = [compare, ...similar].sort((a, b) => gemeenten[b][2] - gemeenten[a][2]);
  const gv = group.map((c) => gm.m.get(c)?.value ?? null);
  const simTitle = t('similar_title', { name: gemeenten[compare][0], year: yearCode.slice(0, 4) });
  const simTable = tableOf(group, gm.m);
  simTable.columns.splice(1, 0, t('population'));
  simTable.decimals.splice(1, 0, 0);
  simTable.rows.forEach((r, i) => { r.cells.splice(1, 0, gemeenten[group[i]][2]); r.symbols?.splice(1, 0, undefined); r.refs?.splice(1, 0, undefined); r.cells[0] = gemeenten[group[i]][0]; });
  if (ind.derived) { simTable.columns.splice(3, 1); simTable.decimals.splice(3, 1); simTable.rows.forEach((r) => { r.cells.splice(3, 1); r.symbols?.splice(3, 1); r.refs?.splice(3, 1); }); }
  renderFigure(main, {
    id: 'vergelijkbaar', title: simTitle, summary: `${simTitle}. ` + pointsText(group.map((c) => gemeenten[c][0]), gv, dec),
    table: simTable, apiUrls: [gm.url], tables: [ind.table], release, chartHeight: 420,
    draw: async (el) => (await charts).bar(el, simTitle, group.map((c) => gemeenten[c][0]), [{ name: ind.label, values: gv }], dec,
      { horizontal: true, highlight: group.indexOf(compare) }),
  });
}
