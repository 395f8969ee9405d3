// The chain as one flow: a Sankey of in- and outflow per stage for a year and region, from DAS_<Stage>_Regio
// (inflow, outflow, stock) and DAS_<Stage>_Uitstroom (outflow by destination); and throughput times against
// their norms from DAS_Doorlooptijden.
import { topics, typed, key, lit, type DataResult } from '../api';
import { esc, fmt } from '../format';
import { renderFigure, pointsText, type FigureTable } from '../figure';
import { t, STAGES, stageName } from '../i18n';
import type { State } from '../router';
import { codeList, years, yearLabel, padded, regionOptions, select, wire, notAvailable, detailCodes, type CodeList } from './common';

// Which later stage an exit destination leads to: by code (a stage id or stem) or by words in its title.
// Destinations saying "niet"/"geen" (not cleared, no disposal) end the flow.
const RULES: [RegExp, string][] = [
  [/opgehelderd|verdachte/i, 'Verdachten'],
  [/\bhalt\b/i, 'Halt'],
  [/\bom\b|openbaar ministerie|proces-verbaal|officier/i, 'OM'],
  [/kinderbescherming|rvdk/i, 'RvdK'],
  [/dagvaard|rechter|rechtspraak|rechtbank/i, 'Rechtspraak'],
  [/boete|cjib|strafbeschikking/i, 'CJIB'],
  [/vrijheidsstraf|detentie|\bdji\b|gevangenis/i, 'DJI'],
  [/taakstraf|werkstraf|reclassering|toezicht/i, 'Reclassering'],
];
export function targetStage(fromStem: string, code: string, title: string, present: Set<string>): string | null {
  const from = STAGES.findIndex((s) => s.stem === fromStem);
  const ok = (stem: string) => STAGES.findIndex((s) => s.stem === stem) > from && present.has(stem);
  const byCode = STAGES.find((s) => s.id === code.toLowerCase() || s.stem.toLowerCase() === code.toLowerCase());
  if (byCode && ok(byCode.stem)) return byCode.stem;
  if (/\b(niet|geen|not|no)\b/i.test(title)) return null;
  for (const [re, stem] of RULES) if (re.test(title) && ok(stem)) return stem;
  return null;
}

interface StageData { stem: string; inflow: number | null; outflow: number | null; stock: number | null; syms: string[]; url: string;
  exits: { code: string; title: string; value: number | null; sym?: string }[]; exitUrl?: string }

async function stageData(stem: string, yearCode: string, regionCode: string): Promise<StageData | null> {
  const table = `DAS_${stem}_Regio`;
  try {
    const [perioden, regio] = await Promise.all([codeList(table, 'Perioden'), codeList(table, 'RegioS')]);
    if (!perioden.byKey.has(yearCode) || !regio.byKey.has(regionCode)) return null;
    const res = await typed(table, `Perioden eq ${lit(padded(perioden, yearCode))} and RegioS eq ${lit(padded(regio, regionCode))}`, ['Instroom_1', 'Uitstroom_2', 'Voorraad_3']);
    const r = res.rows[0] ?? {};
    const sd: StageData = { stem, inflow: (r.Instroom_1 ?? null) as number | null, outflow: (r.Uitstroom_2 ?? null) as number | null, stock: (r.Voorraad_3 ?? null) as number | null,
      syms: ['Instroom_1', 'Uitstroom_2', 'Voorraad_3'].map((k) => res.symbols.get(`0|${k}`) ?? 'x'), url: res.url, exits: [] };
    try {
      const ut = `DAS_${stem}_Uitstroom`;
      const [up, ub, ur] = await Promise.all([codeList(ut, 'Perioden'), codeList(ut, 'Bestemming'), codeList(ut, 'RegioS')]);
      if (up.byKey.has(yearCode) && ur.byKey.has(regionCode)) {
        const ures: DataResult = await typed(ut, `Perioden eq ${lit(padded(up, yearCode))} and RegioS eq ${lit(padded(ur, regionCode))}`, ['Bestemming', 'Uitstroom_1']);
        const byCode = new Map(ures.rows.map((row, i) => [key(row.Bestemming), i]));
        sd.exits = (await detailCodes(ut, 'Bestemming', ub)).map((c) => {
          const i = byCode.get(key(c.Key));
          return { code: key(c.Key), title: c.Title, value: i === undefined ? null : (ures.rows[i].Uitstroom_1 as number | null), sym: i === undefined ? '.' : ures.symbols.get(`${i}|Uitstroom_1`) };
        });
        sd.exitUrl = ures.url;
      }
    } catch { /* no destination table for this stage */ }
    return sd;
  } catch {
    return null;
  }
}

export async function renderChain(main: HTMLElement, state: State, release: string): Promise<void> {
  main.innerHTML = `<h1 class="utrecht-heading-1" tabindex="-1">${esc(t('chain_title'))}</h1>
    <p class="utrecht-paragraph utrecht-paragraph--lead">${esc(t('chain_intro'))}</p><p class="utrecht-paragraph">${esc(t('police_recorded'))}</p>`;
  const charts = import('../charts');
  let perioden: CodeList, regio: CodeList;
  try {
    [perioden, regio] = await Promise.all([codeList('DAS_OM_Regio', 'Perioden'), codeList('DAS_OM_Regio', 'RegioS')]);
  } catch (e) { notAvailable(main, 'DAS_OM_Regio', (e as Error).message); return; }
  const ys = years(perioden);
  const yearCode = ys.some((y) => key(y.Key) === state.q.get('jaar')) ? state.q.get('jaar')! : key(ys[ys.length - 1]?.Key);
  const regionCode = regio.byKey.has(state.q.get('regio') ?? '') && /^(NL|PV)/.test(state.q.get('regio')!) ? state.q.get('regio')! : 'NL01';
  const regionName = regio.byKey.get(regionCode)?.Title ?? regionCode;
  const yearName = yearLabel(perioden.byKey.get(yearCode));
  const form = document.createElement('form');
  form.className = 'das-controls';
  form.setAttribute('aria-label', t('drill'));
  form.addEventListener('submit', (e) => e.preventDefault());
  form.innerHTML = select('f-jaar', t('year'), 'jaar', ys.map((y) => ({ value: key(y.Key), label: yearLabel(y) })).reverse(), yearCode) +
    select('f-regio', t('region'), 'regio', regionOptions(regio, ['NL', 'PV']), regionCode);
  main.appendChild(form);
  wire(form);

  const data = (await Promise.all(STAGES.map((s) => stageData(s.stem, yearCode, regionCode)))).filter((d): d is StageData => d !== null);
  const present = new Set(data.filter((d) => d.inflow !== null).map((d) => d.stem));
  const nodes: { name: string; label: string }[] = [];
  const links: { source: string; target: string; value: number }[] = [];
  const table: FigureTable = { columns: [t('from'), t('to'), t('count')], decimals: [0, 0, 0], rows: [] };
  for (const d of data) {
    if (present.has(d.stem)) nodes.push({ name: d.stem, label: `${stageName(d.stem)} (${t('stock').toLowerCase()} ${fmt(d.stock, 0, d.syms[2])})` });
  }
  for (const d of data) {
    if (!present.has(d.stem)) continue;
    for (const ex of d.exits) {
      const target = targetStage(d.stem, ex.code, ex.title, present);
      const name = target ?? `${d.stem}:${ex.code}`;
      table.rows.push({ cells: [stageName(d.stem), target ? stageName(target) : ex.title, ex.value], symbols: [undefined, undefined, ex.sym],
        refs: [undefined, undefined, { table: `DAS_${d.stem}_Uitstroom`, topic: 'Uitstroom_1', coords: { Perioden: yearCode, RegioS: regionCode, Bestemming: ex.code } }] });
      if (ex.value === null || ex.value <= 0) continue;
      if (!target) nodes.push({ name, label: `${stageName(d.stem)}: ${ex.title}` });
      links.push({ source: d.stem, target: name, value: ex.value });
    }
  }
  const sankeyTitle = t('sankey_title', { year: yearName, region: regionName });
  renderFigure(main, {
    id: 'sankey', title: sankeyTitle,
    summary: `${sankeyTitle}. ` + table.rows.map((r) => `${r.cells[0]} → ${r.cells[1]}: ${r.cells[2] ?? 'x'}`).join('; '),
    table, apiUrls: data.map((d) => d.exitUrl).filter((u): u is string => !!u),
    tables: data.filter((d) => d.exitUrl).map((d) => `DAS_${d.stem}_Uitstroom`), release, chartHeight: 560,
    draw: async (el) => (await charts).sankey(el, sankeyTitle, nodes, links),
  });

  const stocksTitle = t('stocks_title', { year: yearName, region: regionName });
  const names = data.map((d) => stageName(d.stem));
  const ref = (d: StageData, topic: string) => ({ table: `DAS_${d.stem}_Regio`, topic, coords: { Perioden: yearCode, RegioS: regionCode } });
  renderFigure(main, {
    id: 'voorraden', title: stocksTitle,
    summary: `${stocksTitle}. ${t('stock')}: ` + pointsText(names, data.map((d) => d.stock), 0),
    table: { columns: [t('stage'), t('inflow'), t('outflow'), t('stock')], decimals: [0, 0, 0, 0],
      rows: data.map((d) => ({ cells: [stageName(d.stem), d.inflow, d.outflow, d.stock], symbols: [undefined, ...d.syms],
        refs: [undefined, ref(d, 'Instroom_1'), ref(d, 'Uitstroom_2'), ref(d, 'Voorraad_3')] })) },
    apiUrls: data.map((d) => d.url), tables: data.map((d) => `DAS_${d.stem}_Regio`), release, chartHeight: 420,
    draw: async (el) => (await charts).bar(el, stocksTitle, names, [
      { name: t('inflow'), values: data.map((d) => d.inflow) }, { name: t('outflow'), values: data.map((d) => d.outflow) },
      { name: t('stock'), values: data.map((d) => d.stock) }], 0, { horizontal: true }),
  });

  await renderThroughput(main, state, yearCode, release, charts);
}

async function renderThroughput(main: HTMLElement, state: State, yearCode: string, release: string, charts: Promise<typeof import('../charts')>): Promise<void> {
  const table = 'DAS_Doorlooptijden';
  try {
    const [tops, perioden, traject, methode] = await Promise.all([topics(table), codeList(table, 'Perioden'), codeList(table, 'Traject'), codeList(table, 'Methode')]);
    const m = methode.byKey.has(state.q.get('methode') ?? '') ? state.q.get('methode')! : key(methode.list[0].Key);
    const form = document.createElement('form');
    form.className = 'das-controls';
    form.setAttribute('aria-label', t('method'));
    form.addEventListener('submit', (e) => e.preventDefault());
    form.innerHTML = select('f-methode', t('method'), 'methode', methode.list.map((c) => ({ value: key(c.Key), label: c.Title })), m);
    if (!perioden.byKey.has(yearCode)) { notAvailable(main, `${table} ${yearCode}`); return; }
    const keys = ['Mediaan_2', 'P80_3', 'P90_4', 'BinnenNorm_5', 'Norm_6'].filter((k) => tops.some((x) => x.Key === k));
    const res = await typed(table, `Perioden eq ${lit(padded(perioden, yearCode))} and Methode eq ${lit(padded(methode, m))}`, ['Traject', ...keys]);
    const byCode = new Map(res.rows.map((r, i) => [key(r.Traject), i]));
    const trs = traject.list.filter((c) => byCode.has(key(c.Key)));
    const get = (c: { Key: string }, k: string) => { const i = byCode.get(key(c.Key))!; return (res.rows[i][k] ?? null) as number | null; };
    const title = t('throughput_title', { year: yearCode.slice(0, 4), method: methode.byKey.get(m)?.Title ?? m });
    const labelOf: Record<string, string> = { Mediaan_2: t('median'), P80_3: t('p80'), P90_4: t('p90'), BinnenNorm_5: t('within_norm'), Norm_6: t('norm') };
    const decOf = (k: string) => tops.find((x) => x.Key === k)?.Decimals ?? 0;
    const h = document.createElement('h2');
    h.className = 'utrecht-heading-2';
    h.textContent = t('throughput_title', { year: yearCode.slice(0, 4), method: '' }).replace(/\s*\(\)\s*$/, '');
    main.appendChild(h);
    main.appendChild(form);
    wire(form);
    renderFigure(main, {
      id: 'doorlooptijden', title, level: 3,
      summary: `${title}. ` + trs.map((c) => `${c.Title}: ${labelOf.Mediaan_2} ${get(c, 'Mediaan_2') ?? 'x'}, ${labelOf.Norm_6} ${get(c, 'Norm_6') ?? 'x'}`).join('; '),
      table: { columns: [t('route'), ...keys.map((k) => labelOf[k])], decimals: [0, ...keys.map(decOf)],
        rows: trs.map((c) => ({ cells: [c.Title, ...keys.map((k) => get(c, k))],
          symbols: [undefined, ...keys.map((k) => res.symbols.get(`${byCode.get(key(c.Key))}|${k}`))],
          refs: [undefined, ...keys.map((k) => ({ table, topic: k, coords: { Perioden: yearCode, Traject: key(c.Key), Methode: m } }))] })) },
      apiUrls: [res.url], tables: [table], release, chartHeight: Math.max(260, 80 + 60 * trs.length),
      draw: async (el) => (await charts).bar(el, title, trs.map((c) => c.Title),
        ['Mediaan_2', 'P80_3', 'P90_4'].filter((k) => keys.includes(k)).map((k) => ({ name: labelOf[k], values: trs.map((c) => get(c, k)) })), 0,
        { horizontal: true, markers: keys.includes('Norm_6') ? { name: labelOf.Norm_6, values: trs.map((c) => get(c, 'Norm_6')) } : undefined }),
    });
  } catch (e) {
    notAvailable(main, table, (e as Error).message);
  }
}
