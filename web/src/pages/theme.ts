// A theme page: the trend of the chosen key figure (headline by default), all key figures of the chosen year
// and region (value, change, unit, status, definition), the figure by province, and a breakdown of the
// theme's chain stage by offence group, age group or sex (DAS_<Stage>_Kenmerken).
import { ApiError, concepts, topics, typed, key, lit, anyOf, type Concept, type DataProperty } from '../api';
import { change, esc, cellHtml } from '../format';
import { renderFigure, pointsText } from '../figure';
import { lang, t, THEMES, themeName, themeIntro, stageName } from '../i18n';
import { hrefFor, type State } from '../router';
import { codeList, years, yearLabel, padded, regionOptions, select, wire, notAvailable, refAttrs, detailCodes } from './common';

const norm = (s: string) => s.toLowerCase().replace(/_\d+$/, '').replace(/[^a-z0-9]/g, '');

function definitionOf(themeId: string, topic: DataProperty, glossary: Concept[]): string {
  const want = norm(topic.Key);
  const c = glossary.find((g) => (g.used_by ?? []).some((u) => {
    const [th, id] = u.split('.');
    return th === themeId && id !== undefined && norm(id) === want;
  }));
  if (c) return lang() === 'nl' ? c.definition_nl : c.definition_en;
  return topic.Description ?? '';
}

export async function renderTheme(main: HTMLElement, state: State, release: string): Promise<void> {
  const th = THEMES.find((x) => x.id === state.sub);
  if (!th) throw new ApiError(404, state.sub, '');
  const table = `DAS_Kerncijfers_${th.stem}`;
  main.innerHTML = `<h1 class="utrecht-heading-1" tabindex="-1">${esc(themeName(th))}</h1>
    <p class="utrecht-paragraph utrecht-paragraph--lead">${esc(themeIntro(th))}</p>`;
  let tops: DataProperty[];
  try { tops = await topics(table); } catch (e) { notAvailable(main, table, (e as Error).message); return; }
  const [perioden, regio, glossary] = await Promise.all([codeList(table, 'Perioden'), codeList(table, 'RegioS'), concepts()]);
  const ys = years(perioden);
  const yearCode = ys.some((y) => key(y.Key) === state.q.get('jaar')) ? state.q.get('jaar')! : key(ys[ys.length - 1]?.Key);
  const yi = ys.findIndex((y) => key(y.Key) === yearCode);
  const regionCode = regio.byKey.has(state.q.get('regio') ?? '') ? state.q.get('regio')! : 'NL01';
  const regionName = regio.byKey.get(regionCode)?.Title ?? regionCode;
  const topic = tops.find((x) => x.Key === state.q.get('kc')) ?? tops[0];
  const form = document.createElement('form');
  form.className = 'das-controls';
  form.setAttribute('aria-label', t('drill'));
  form.addEventListener('submit', (e) => e.preventDefault());
  form.innerHTML = select('f-jaar', t('year'), 'jaar', ys.map((y) => ({ value: key(y.Key), label: yearLabel(y) })).reverse(), yearCode) +
    select('f-regio', t('region'), 'regio', regionOptions(regio, ['NL', 'PV', 'RE', 'GM']), regionCode) +
    select('f-kc', t('figure'), 'kc', tops.map((x) => ({ value: x.Key, label: x.Title })), topic.Key);
  main.appendChild(form);
  wire(form);

  // Trend of the chosen figure in the chosen region, all years.
  const trend = await typed(table, `RegioS eq ${lit(padded(regio, regionCode))} and substringof('JJ',Perioden)`, ['Perioden', ...tops.map((x) => x.Key)]);
  const rowOf = new Map(trend.rows.map((r, i) => [key(r.Perioden), i]));
  const val = (yk: string, tk: string) => { const i = rowOf.get(yk); return i === undefined ? null : (trend.rows[i][tk] as number | null); };
  const sym = (yk: string, tk: string) => { const i = rowOf.get(yk); return i === undefined ? '.' : trend.symbols.get(`${i}|${tk}`) ?? 'x'; };
  const dec = topic.Decimals ?? 0;
  const labels = ys.map(yearLabel);
  const values = ys.map((y) => val(key(y.Key), topic.Key));
  const charts = import('../charts');
  renderFigure(main, {
    id: 'trend', title: `${t('trend_of')}: ${topic.Title} — ${regionName}`, note: topic.Unit ? `${t('unit')}: ${topic.Unit}` : undefined,
    summary: t('summary_trend', { title: topic.Title, region: regionName, points: pointsText(labels, values, dec) }),
    table: { columns: [t('period'), t('status'), `${topic.Title} (${topic.Unit ?? ''})`], decimals: [0, 0, dec],
      rows: ys.map((y, i) => ({ cells: [yearLabel(y), y.Status ? t(y.Status as 'Voorlopig') : '', values[i]], symbols: [undefined, undefined, sym(key(y.Key), topic.Key)],
        refs: [undefined, undefined, { table, topic: topic.Key, coords: { Perioden: key(y.Key), RegioS: regionCode } }] })) },
    apiUrls: [trend.url], tables: [table], release,
    draw: async (el) => (await charts).line(el, topic.Title, labels, [{ name: topic.Title, values }], dec),
  });

  // All key figures for the chosen year and region.
  const sec = document.createElement('section');
  sec.className = 'das-figure';
  sec.setAttribute('aria-labelledby', 'kf-title');
  const yk = yearCode, pk = yi > 0 ? key(ys[yi - 1].Key) : '';
  const status = ys[yi]?.Status ? t(ys[yi].Status as 'Voorlopig') : '';
  const rows = tops.map((x) => {
    const v = val(yk, x.Key), p = pk ? val(pk, x.Key) : null;
    const ch = change(v, p, x.Unit ?? '');
    const def = definitionOf(th.id, x, glossary);
    return `<tr><th scope="row"><a class="nl-link" href="${hrefFor('thema', th.id, { jaar: yk, regio: regionCode, kc: x.Key })}">${esc(x.Title)}</a></th>
      <td class="das-num" ${refAttrs(table, x.Key, { Perioden: yk, RegioS: regionCode }, x.Decimals ?? 0)}>${cellHtml(v, x.Decimals ?? 0, sym(yk, x.Key))}</td>
      <td class="das-num">${ch ? esc(ch.text) : '–'}</td><td>${esc(x.Unit ?? '')}</td><td>${esc(status)}</td>
      <td class="das-def">${esc(def)}</td></tr>`;
  }).join('');
  sec.innerHTML = `<h2 class="utrecht-heading-2" id="kf-title">${esc(t('key_figures'))}</h2>
    <div class="das-scroll" role="region" tabindex="0" aria-labelledby="kf-title"><table class="utrecht-table">
    <caption class="utrecht-table__caption">${esc(t('key_figures_caption', { year: yearLabel(ys[yi]), region: regionName }))}</caption>
    <thead><tr><th scope="col">${esc(t('figure'))}</th><th scope="col">${esc(t('value'))}</th><th scope="col">${esc(t('change'))} (${esc(t('change_prev'))})</th>
    <th scope="col">${esc(t('unit'))}</th><th scope="col">${esc(t('status'))}</th><th scope="col">${esc(t('definition'))}</th></tr></thead>
    <tbody>${rows}</tbody></table></div><p class="das-figure__legend">${esc(t('legend_symbols'))}</p>
    <ul class="das-figure__links"><li><a class="nl-link das-api-link" href="${esc(trend.url)}">${esc(t('api_query'))}</a></li>
    <li>${esc(t('release'))}: <code class="das-release">${esc(release)}</code></li></ul>`;
  main.appendChild(sec);

  // The chosen figure by province for the chosen year.
  const provs = regio.list.filter((c) => key(c.Key).startsWith('PV'));
  if (provs.length) {
    const res = await typed(table, `Perioden eq ${lit(padded(perioden, yk))} and ${anyOf('RegioS', provs.map((c) => c.Key))}`, ['RegioS', topic.Key]);
    const names = provs.map((c) => c.Title);
    const byReg = new Map(res.rows.map((r, i) => [key(r.RegioS), i]));
    const pv = provs.map((c) => { const i = byReg.get(key(c.Key)); return i === undefined ? null : (res.rows[i][topic.Key] as number | null); });
    renderFigure(main, {
      id: 'provincies', title: `${topic.Title}: ${t('by_province').toLowerCase()}, ${yearLabel(ys[yi])}`,
      summary: pointsText(names, pv, dec),
      table: { columns: [t('region'), `${topic.Title} (${topic.Unit ?? ''})`], decimals: [0, dec],
        rows: provs.map((c, k) => ({ cells: [c.Title, pv[k]], symbols: [undefined, res.symbols.get(`${byReg.get(key(c.Key))}|${topic.Key}`)],
          refs: [undefined, { table, topic: topic.Key, coords: { Perioden: yk, RegioS: key(c.Key) } }] })) },
      apiUrls: [res.url], tables: [table], release, chartHeight: 380,
      draw: async (el) => (await charts).bar(el, topic.Title, names, [{ name: topic.Title, values: pv }], dec, { horizontal: true }),
    });
  }

  await renderBreakdown(main, th.stages, state, yk, release, charts);
}

async function renderBreakdown(main: HTMLElement, stages: string[], state: State, yearCode: string, release: string,
  charts: Promise<typeof import('../charts')>): Promise<void> {
  const stage = stages.includes(state.q.get('schakel') ?? '') ? state.q.get('schakel')! : stages[0];
  const dims = ['Delict', 'Leeftijd', 'Geslacht'];
  const dim = dims.includes(state.q.get('naar') ?? '') ? state.q.get('naar')! : 'Delict';
  const table = `DAS_${stage}_Kenmerken`;
  const h = document.createElement('h2');
  h.className = 'utrecht-heading-2';
  h.textContent = t('drill');
  main.appendChild(h);
  const form = document.createElement('form');
  form.className = 'das-controls';
  form.setAttribute('aria-label', t('drill'));
  form.addEventListener('submit', (e) => e.preventDefault());
  form.innerHTML = (stages.length > 1 ? select('f-schakel', t('stage'), 'schakel', stages.map((s) => ({ value: s, label: stageName(s) })), stage) : '') +
    select('f-naar', t('breakdown_by'), 'naar', dims.map((d) => ({ value: d, label: t(d as 'Delict') })), dim);
  main.appendChild(form);
  wire(form);
  try {
    const tops = await topics(table);
    const inflow = tops.find((x) => x.Key.startsWith('Instroom')) ?? tops[0];
    const cls = await Promise.all(['Perioden', ...dims].map((d) => codeList(table, d)));
    const [perioden, ...dimCodes] = cls;
    if (!perioden.byKey.has(yearCode)) { notAvailable(main, `${table} ${yearCode}`); return; }
    const di = dims.indexOf(dim);
    const details = await detailCodes(table, dim, dimCodes[di]);
    const filter = [`Perioden eq ${lit(padded(perioden, yearCode))}`]
      .concat(dims.map((d, k) => (k === di ? anyOf(d, details.map((c) => c.Key)) : `${d} eq ${lit(dimCodes[k].list[0].Key)}`))).join(' and ');
    const res = await typed(table, filter, [dim, inflow.Key]);
    const byCode = new Map(res.rows.map((r, i) => [key(r[dim]), i]));
    const names = details.map((c) => c.Title);
    const vals = details.map((c) => { const i = byCode.get(key(c.Key)); return i === undefined ? null : (res.rows[i][inflow.Key] as number | null); });
    const dec = inflow.Decimals ?? 0;
    const totals = Object.fromEntries(dims.map((d, k) => [d, key(dimCodes[k].list[0].Key)]));
    const title = t('inflow_of', { stage: stageName(stage), dim: t(dim as 'Delict'), year: yearCode.slice(0, 4) });
    renderFigure(main, {
      id: 'uitsplitsing', title, summary: pointsText(names, vals, dec),
      table: { columns: [t(dim as 'Delict'), `${inflow.Title} (${inflow.Unit ?? ''})`], decimals: [0, dec],
        rows: details.map((c, k) => ({ cells: [c.Title, vals[k]], symbols: [undefined, res.symbols.get(`${byCode.get(key(c.Key))}|${inflow.Key}`)],
          refs: [undefined, { table, topic: inflow.Key, coords: { ...totals, Perioden: yearCode, [dim]: key(c.Key) } }] })) },
      apiUrls: [res.url], tables: [table], release, chartHeight: Math.max(200, 40 + 28 * details.length),
      draw: async (el) => (await charts).bar(el, title, names, [{ name: inflow.Title, values: vals }], dec, { horizontal: true }),
    });
  } catch (e) {
    notAvailable(main, table, (e as Error).message);
  }
}
